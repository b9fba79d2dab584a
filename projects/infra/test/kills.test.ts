// Ten provisioning runs killed with SIGKILL at random moments (after a random number of write
// requests, of the 30-odd a run makes, so every kill lands mid-run). After each, the vault still reads (the old version or
// the new one, never a torn file), and a rerun converges with no duplicates and no orphans.
import { describe, expect, it } from 'vitest';
import { desiredResources, parseClusterConfig } from '@personal-cloud/cluster';
import { provisionInfra } from '../src/provision';
import { planChanges } from '../src/reconcile/plan-changes';
import { readInfraState } from '../src/state/infra-state';
import { ensureSandboxVars } from '../src/world/sandbox-vars';
import { runTargetProcess } from './support/child-target';
import { quietProgress, testCloud, fileExchanges } from './support/cloud';
import { describeContract } from '../../sandbox/test/contract';
import { SECRETS, seedConfig } from './fixtures';

const desired = desiredResources(parseClusterConfig(seedConfig()), SECRETS, 4);
const key = (r: { type: string; name: string }) => `${r.type}/${r.name}`;

/** A small seeded generator, so a failing kill point can be replayed. */
function seeded(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

describe('SIGKILL at random moments', () => {
  it('ten killed runs, each followed by a clean rerun', async () => {
    const random = seeded(20261125);
    const cloud = await testCloud({ phase: 4, actionMs: 40 });
    try {
      // Make the vault first, so that each kill lands in provisioning itself.
      await ensureSandboxVars(await cloud.vault());
      const killedAfter: number[] = [];
      let leftUnfinished = 0;
      for (let run = 0; run < 10; run++) {
        cloud.sandbox.reset();
        const killAt = 1 + Math.floor(random() * 20);
        const { child, done, kill, gone } = runTargetProcess('provision', cloud.env);
        while (cloud.sandbox.stats().writes < killAt && child.exitCode === null) await new Promise((r) => setTimeout(r, 2));
        killedAfter.push(cloud.sandbox.stats().writes);
        kill('SIGKILL');
        const outcome = await done;
        await gone();
        expect(outcome.signal ?? outcome.code, outcome.stderr).toBe('SIGKILL');

        // The state is whole: it decrypts and validates (whichever version the kill left).
        const vault = await cloud.vault();
        readInfraState(await vault.read('state'));
        if (planChanges(desired, await cloud.observed(), { prune: false }).changes.length) leftUnfinished += 1;

        await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
        const observed = await cloud.observed();
        expect(observed.map(key).sort()).toEqual(desired.map(key).sort());
        expect((await cloud.client.listAll('/servers', 'servers')).length).toBe(8);
        expect((await cloud.client.listAll('/volumes', 'volumes')).length).toBe(5);
        const state = readInfraState(await (await cloud.vault()).read('state'));
        expect(Object.keys(state.resources).sort()).toEqual(observed.map(key).sort());
      }
      console.log(`killed after ${killedAfter.join(', ')} write requests`);
      // The kills really cut runs short: the cloud was unfinished when the rerun began.
      expect(leftUnfinished, `kills after ${killedAfter.join(', ')} writes`).toBeGreaterThanOrEqual(8);
    } finally {
      await cloud.close();
    }
  }, 180_000);
});

describeContract(fileExchanges, { requests: true });
