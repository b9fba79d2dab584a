// Two provisioning runs at once: exactly one proceeds; the other stops at the vault's lock and
// names its holder.
import { describe, expect, it } from 'vitest';
import { runTargetProcess } from './support/child-target';
import { testCloud, fileExchanges } from './support/cloud';
import { describeContract } from '../../sandbox/test/contract';
import { ensureSandboxVars } from '../src/world/sandbox-vars';

describe('concurrent provision runs', () => {
  it('lets exactly one proceed and names the lock holder to the other', async () => {
    // Slow actions keep the winner busy for seconds, so the loser meets the lock for certain.
    const cloud = await testCloud({ phase: 2, actionMs: 1500 });
    try {
      await ensureSandboxVars(await cloud.vault());
      const a = runTargetProcess('provision', cloud.env);
      const b = runTargetProcess('provision', cloud.env);
      const outcomes = await Promise.all([a.done, b.done]);
      const winners = outcomes.filter((o) => o.code === 0);
      const losers = outcomes.filter((o) => o.code !== 0);
      expect(winners).toHaveLength(1);
      expect(losers).toHaveLength(1);
      expect(losers[0]!.stderr).toMatch(/is locked by pid \d+ on host \S+ since \S+ for "infra provision of pc"/);
      // One run's worth of servers, not two.
      expect((await cloud.client.listAll('/servers', 'servers')).length).toBe(4);
    } finally {
      await cloud.close();
    }
  }, 60_000);
});

describeContract(fileExchanges, { requests: true });
