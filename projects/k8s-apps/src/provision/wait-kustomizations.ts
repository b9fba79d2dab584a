// Waits until every Flux Kustomization is Ready at the pushed revision, printing each as it
// becomes Ready; a failed one is named with its condition's message. On the run's clock, so a
// test's ControllableClock makes the wait cost no wall time.
import { CloudError } from '@personal-cloud/cluster';
import type { ClusterApi, KustomizationStatus } from '../cluster/cluster-api';

export interface RunClock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** Reasons Flux keeps until the next revision: waiting longer changes nothing. */
const TERMINAL = new Set(['BuildFailed', 'ArtifactFailed', 'HealthCheckFailed', 'ReconciliationFailed']);

export interface WaitOptions {
  /** The commit the Kustomizations must have reconciled. */
  commit: string;
  clock: RunClock;
  timeoutMs?: number;
  pollMs?: number;
  onReady?: (status: KustomizationStatus) => void;
}

export async function waitForKustomizations(api: ClusterApi, options: WaitOptions): Promise<KustomizationStatus[]> {
  const { clock, commit } = options;
  const deadline = clock.now() + (options.timeoutMs ?? 10 * 60_000);
  const announced = new Set<string>();
  for (;;) {
    const statuses = await api.kustomizations();
    const current = statuses.filter((s) => s.revision.endsWith(`:${commit}`));
    for (const s of current)
      if (s.ready && !announced.has(s.name)) {
        announced.add(s.name);
        options.onReady?.(s);
      }
    const failed = current.filter((s) => !s.ready && TERMINAL.has(s.reason));
    if (failed.length) throw new CloudError(describe('failed', failed, statuses));
    if (current.length && current.length === statuses.length && current.every((s) => s.ready)) return statuses;
    if (clock.now() >= deadline)
      throw new CloudError(
        describe(
          `not Ready after ${Math.round((options.timeoutMs ?? 600_000) / 1000)} s`,
          statuses.filter((s) => !s.ready || !s.revision.endsWith(`:${commit}`)),
          statuses,
        ),
      );
    await clock.sleep(options.pollMs ?? 2000);
  }
}

function describe(what: string, bad: readonly KustomizationStatus[], all: readonly KustomizationStatus[]): string {
  const blocked = all.filter((s) => s.reason === 'DependencyNotReady').map((s) => s.name);
  const verb = what === 'failed' ? '' : bad.length === 1 ? 'is ' : 'are ';
  return `Flux Kustomization${bad.length === 1 ? '' : 's'} ${verb}${what}: ${bad
    .map((s) => `${s.name} (${s.reason}: ${s.message})`)
    .join('; ')}${blocked.length && what === 'failed' ? `; waiting on them: ${blocked.join(', ')}` : ''}.`;
}
