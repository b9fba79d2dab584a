// Ten provisioning runs killed with SIGKILL at random moments: at a random write request (of the
// 30-odd a run makes, so every kill lands mid-run), after the sandbox carried it out and before the
// answer reached the run. After each, the vault still reads (the old version or the new one, never
// a torn file), and a rerun converges with no duplicates and no orphans. The kill points come from a
// seeded generator and every failure names the seed and the kill point, so any run can be replayed.
import { describe, expect, it } from 'vitest';
import { desiredResources, parseClusterConfig } from '@personal-cloud/cluster';
import { provisionInfra } from '../src/provision';
import { planChanges } from '../src/reconcile/plan-changes';
import { readInfraState } from '../src/state/infra-state';
import { ensureSandboxVars } from '../src/world/sandbox-vars';
import { runTargetProcess } from './support/child-target';
import { quietProgress, testCloud, fileExchanges } from './support/cloud';
import { describeContract } from '../../sandbox/test/contract';
import { seededRandom } from '../../../tools/test-support/seeded-random';
import { SECRETS, seedConfig } from './fixtures';

const desired = desiredResources(parseClusterConfig(seedConfig()), SECRETS, 4);
const key = (r: { type: string; name: string }) => `${r.type}/${r.name}`;

describe('SIGKILL at random moments', () => {
  it('ten killed runs, each followed by a clean rerun', async () => {
    const seed = Number(process.env.KILLS_SEED ?? 20261125);
    const random = seededRandom(seed);
    const cloud = await testCloud({ phase: 4 });
    try {
      // Make the vault first, so that each kill lands in provisioning itself.
      await ensureSandboxVars(await cloud.vault());
      const killedAfter: number[] = [];
      let leftUnfinished = 0;
      for (let run = 0; run < 10; run++) {
        cloud.sandbox.reset();
        const killAt = 1 + Math.floor(random() * 20);
        const replay = `seed ${seed} (KILLS_SEED=${seed} replays it), run ${run + 1}, kill at write ${killAt}`;
        const { done, kill, gone } = runTargetProcess('provision', cloud.env);
        // Killed inside the sandbox's answer to that write: the world has it, the run never hears of it.
        let writes = 0;
        const stopListening = cloud.onExchange((exchange) => {
          if (exchange.method !== 'GET' && ++writes === killAt) kill('SIGKILL');
        });
        const outcome = await done;
        stopListening();
        await gone();
        killedAfter.push(killAt);
        expect(outcome.signal ?? outcome.code, `${replay}: ${outcome.stderr}`).toBe('SIGKILL');

        // The state is whole: it decrypts and validates (whichever version the kill left).
        const vault = await cloud.vault();
        readInfraState(await vault.read('state'));
        if (planChanges(desired, await cloud.observed(), { prune: false }).changes.length) leftUnfinished += 1;

        await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
        const observed = await cloud.observed();
        expect(observed.map(key).sort(), replay).toEqual(desired.map(key).sort());
        expect((await cloud.client.listAll('/servers', 'servers')).length, replay).toBe(8);
        expect((await cloud.client.listAll('/volumes', 'volumes')).length, replay).toBe(5);
        const state = readInfraState(await (await cloud.vault()).read('state'));
        expect(Object.keys(state.resources).sort(), replay).toEqual(observed.map(key).sort());
      }
      console.log(`seed ${seed}: killed at write ${killedAfter.join(', ')}`);
      // The kills really cut runs short: the cloud was unfinished when the rerun began.
      expect(leftUnfinished, `seed ${seed}: kills at writes ${killedAfter.join(', ')}`).toBeGreaterThanOrEqual(8);
    } finally {
      await cloud.close();
    }
  }, 180_000);
});

describeContract(fileExchanges, { requests: true });
