// Two provisioning runs at once: exactly one proceeds; the other stops at the vault's lock and
// names its holder. The sandbox's clock stands still from the first run's first write until the
// second has given up, so the first holds the lock for certain, however slow the machine.
import { describe, expect, it } from 'vitest';
import { runTargetProcess } from './support/child-target';
import { testCloud, fileExchanges } from './support/cloud';
import { describeContract } from '../../sandbox/test/contract';
import { ensureSandboxVars } from '../src/world/sandbox-vars';

describe('concurrent provision runs', () => {
  it('lets exactly one proceed and names the lock holder to the other', async () => {
    const cloud = await testCloud({ phase: 2 });
    try {
      await ensureSandboxVars(await cloud.vault());
      const firstWrite = new Promise<void>((resolve) => {
        const stop = cloud.onExchange((exchange) => {
          if (exchange.method === 'GET') return;
          // The first run is inside the lock and its actions cannot finish while time stands still.
          cloud.clock.pause();
          stop();
          resolve();
        });
      });
      const a = runTargetProcess('provision', cloud.env);
      await firstWrite;
      const b = runTargetProcess('provision', cloud.env);
      const loser = await b.done;
      cloud.clock.resume();
      const winner = await a.done;
      expect(winner.code, winner.stderr).toBe(0);
      expect(loser.code).not.toBe(0);
      expect(loser.stderr).toMatch(/is locked by pid \d+ on host \S+ since \S+ for "infra provision of pc"/);
      // One run's worth of servers, not two.
      expect((await cloud.client.listAll('/servers', 'servers')).length).toBe(4);
    } finally {
      await cloud.close();
    }
  }, 60_000);
});

describeContract(fileExchanges, { requests: true });
