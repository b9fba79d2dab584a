// Thirty seeded runs of phase 4 under about 20 % injected faults: rate limits, 5xx, dropped
// connections after the request was carried out, and failed actions. Each run must end with
// exactly the desired resources, no duplicates, no orphans, and a state that matches the cloud.
import { afterAll, describe, expect, it } from 'vitest';
import { desiredResources, parseClusterConfig } from '@personal-cloud/cluster';
import { provisionInfra } from '../src/provision';
import { readInfraState } from '../src/state/infra-state';
import { quietProgress, testCloud, fileExchanges } from './support/cloud';
import { describeContract } from '../../sandbox/test/contract';
import { SECRETS, seedConfig } from './fixtures';

const FAULTS = 'rate_limit=0.05,server_error=0.04,unavailable=0.04,action_error=0.04,reset=0.03';
const RUNS = 30;
const desired = desiredResources(parseClusterConfig(seedConfig()), SECRETS, 4);
const key = (r: { type: string; name: string }) => `${r.type}/${r.name}`;
const injected: Record<string, number> = {};
let requests = 0;
afterAll(() =>
  console.log(
    `${RUNS} runs: ${requests} requests, injected ${Object.entries(injected)
      .map(([k, n]) => `${k} ${n}`)
      .join(', ')}`,
  ),
);

describe(`fault storms (${RUNS} seeded runs, faults ${FAULTS})`, () => {
  it.each(Array.from({ length: RUNS }, (_, i) => i + 1))(
    'seed %i converges to exactly the desired set',
    async (seed) => {
      const cloud = await testCloud({ phase: 4, faults: `${FAULTS},seed=${seed}` });
      try {
        await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
        const stats = cloud.sandbox.stats();
        requests += stats.reads + stats.writes;
        for (const [kind, n] of Object.entries(stats.faults)) injected[kind] = (injected[kind] ?? 0) + n;
        cloud.sandbox.setFaults('');

        const observed = await cloud.observed();
        expect(observed.map(key).sort()).toEqual(desired.map(key).sort());
        // Nothing unlabelled either: every server, volume and key in the project is one of ours.
        for (const type of ['server', 'volume', 'ssh_key', 'network', 'firewall', 'placement_group'] as const)
          expect((await cloud.client.listAll(`/${type}s`, `${type}s`)).length).toBe(
            desired.filter((d) => d.type === type).length,
          );

        const state = readInfraState(await (await cloud.vault()).read('state'));
        expect(Object.fromEntries(Object.entries(state.resources).map(([k, v]) => [k, v.id]))).toEqual(
          Object.fromEntries(observed.map((o) => [key(o), o.id])),
        );
        expect(Object.values(stats.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
      } finally {
        await cloud.close();
      }
    },
    60_000,
  );
});

describeContract(fileExchanges, { requests: true });
