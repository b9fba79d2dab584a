// Waiting for Flux: each Kustomization announced once as it becomes Ready at the pushed commit; a
// failed one named with its condition's message; one that never gets there named at the deadline.
import { describe, expect, it } from 'vitest';
import { ControllableClock } from '@personal-cloud/sandbox';
import type { ClusterApi, KustomizationStatus } from '../src/cluster/cluster-api';
import { waitForKustomizations } from '../src/provision/wait-kustomizations';

const at = (commit: string) => `main@sha1:${commit}`;
const status = (
  name: string,
  ready: boolean,
  revision: string,
  reason = ready ? 'ReconciliationSucceeded' : 'Progressing',
  message = '',
): KustomizationStatus => ({
  name,
  ready,
  reason,
  message,
  revision,
  dependsOn: [],
});

/** A cluster whose answers are the given snapshots, one per poll, the last one repeated. */
function clusterAnswering(...snapshots: KustomizationStatus[][]): ClusterApi {
  let poll = 0;
  return {
    kind: 'test',
    kustomizations: async () => snapshots[Math.min(poll++, snapshots.length - 1)]!,
  } as unknown as ClusterApi;
}

describe('waitForKustomizations', () => {
  it('waits for the pushed commit, announcing each Kustomization once as it becomes Ready', async () => {
    const clock = new ControllableClock();
    const announced: string[] = [];
    const api = clusterAnswering(
      [status('infra', true, at('old')), status('apps', true, at('old'))],
      [status('infra', true, at('new')), status('apps', false, at('old'))],
      [status('infra', true, at('new')), status('apps', true, at('new'))],
    );
    const final = await waitForKustomizations(api, { commit: 'new', clock, onReady: (s) => announced.push(s.name) });
    expect(final.every((s) => s.ready)).toBe(true);
    expect(announced).toEqual(['infra', 'apps']);
  });

  it('names the failed Kustomization, its condition, and what waits on it', async () => {
    const api = clusterAnswering([
      status('infra', false, at('c1'), 'BuildFailed', "kustomize build failed: accumulating resources: 'missing.yaml'"),
      status('apps', false, at('c1'), 'DependencyNotReady', "dependency 'flux-system/infra' is not ready"),
    ]);
    await expect(waitForKustomizations(api, { commit: 'c1', clock: new ControllableClock() })).rejects.toThrow(
      "Flux Kustomization failed: infra (BuildFailed: kustomize build failed: accumulating resources: 'missing.yaml'); waiting on them: apps.",
    );
  });

  it('gives up at the deadline, naming what is not Ready', async () => {
    const api = clusterAnswering([
      status('infra', true, at('c1')),
      status('apps', false, at('c1'), 'Progressing', 'Reconciliation in progress'),
    ]);
    await expect(
      waitForKustomizations(api, { commit: 'c1', clock: new ControllableClock(), timeoutMs: 30_000 }),
    ).rejects.toThrow('Flux Kustomization is not Ready after 30 s: apps (Progressing: Reconciliation in progress).');
  });
});
