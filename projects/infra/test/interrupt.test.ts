// An interrupted provision stops at a safe point: nothing new starts once the stop comes, what
// settled is in the state, the lock is free, and the rerun converges without duplicates.
import { afterEach, describe, expect, it } from 'vitest';
import { provisionInfra } from '../src/provision';
import { readInfraState } from '../src/state/infra-state';
import { PlainProgress, RunInterrupted } from '@personal-cloud/layer-kit';
import { quietProgress, testCloud, type TestCloud } from './support/cloud';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

describe('provision interrupted', () => {
  it('stops at a safe point, records what settled, frees the lock, and the rerun converges', async () => {
    cloud = await testCloud({ phase: 4, actionMs: 100 });
    const stop = new AbortController();
    const settled: string[] = [];
    let writesAtStop = 0;
    // The stop comes as the first resource settles, while others are still on their way.
    const progress = new PlainProgress({ write: () => true });
    const end = progress.end.bind(progress);
    progress.end = (key, ok, text) => {
      end(key, ok, text);
      if (!ok || stop.signal.aborted) return;
      settled.push(key);
      writesAtStop = cloud!.sandbox.stats().writes;
      stop.abort('SIGINT received');
    };
    const started: string[] = [];
    const client = {
      ...cloud.fast,
      onRequest: (r: { method: string; path: string }) => stop.signal.aborted && started.push(`${r.method} ${r.path}`),
    };

    await expect(provisionInfra({ env: cloud.env, progress, client, stop: stop.signal })).rejects.toBeInstanceOf(
      RunInterrupted,
    );
    expect(started, 'no request starts after the stop').toEqual([]);
    expect(cloud.sandbox.stats().writes, 'at most the writes on the wire finish').toBeLessThanOrEqual(
      writesAtStop + 10,
    );

    const state = readInfraState(await (await cloud.vault()).read('state'));
    for (const key of settled) expect(Object.keys(state.resources)).toContain(key);

    // The lock is free (a second run takes it) and the rerun finishes the job.
    const rerun = await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
    expect(rerun.plan.changes.length).toBeGreaterThan(0);
    expect((await cloud.client.listAll('/servers', 'servers')).length).toBe(8);
    const again = await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
    expect(again.plan.changes).toEqual([]);
  }, 60_000);
});
