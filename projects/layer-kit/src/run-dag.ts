// Runs tasks as soon as what they wait for is done, at most `concurrency` at a time. A task
// whose prerequisite failed is skipped, and so is everything that waits on it, however far
// down; after a fatal failure nothing new starts.
import { CloudError } from '@personal-cloud/cluster';

export interface DagTask {
  key: string;
  after: string[];
  run(): Promise<void>;
}

export type DagOutcome =
  | { key: string; status: 'done' }
  | { key: string; status: 'failed'; error: unknown }
  | { key: string; status: 'skipped'; because: string };

export async function runDag(
  tasks: DagTask[],
  concurrency: number,
  isFatal: (error: unknown) => boolean = () => false,
): Promise<DagOutcome[]> {
  const byKey = new Map(tasks.map((t) => [t.key, t]));
  assertAcyclic(tasks, byKey);
  const outcomes = new Map<string, DagOutcome>();
  const waiting = new Set(tasks.map((t) => t.key));
  let running = 0;
  let stopped = false;

  const settled = (key: string) => !byKey.has(key) || outcomes.has(key);
  const blockerOf = (task: DagTask) =>
    task.after.map((k) => outcomes.get(k)).find((o) => o !== undefined && o.status !== 'done');

  return new Promise((resolve) => {
    const pump = () => {
      // Skipping one task can settle another that waits on it: repeat until a pass skips nothing.
      for (let skippedAny = true; skippedAny; ) {
        skippedAny = false;
        for (const key of waiting) {
          const blocker = blockerOf(byKey.get(key)!);
          if (!blocker && !stopped) continue;
          waiting.delete(key);
          outcomes.set(key, {
            key,
            status: 'skipped',
            because: blocker ? blocker.key : 'an earlier failure stopped the run',
          });
          skippedAny = true;
        }
      }
      for (const key of waiting) {
        if (running >= concurrency) break;
        const task = byKey.get(key)!;
        if (!task.after.every(settled)) continue;
        waiting.delete(key);
        running += 1;
        task
          .run()
          .then(
            () => outcomes.set(key, { key, status: 'done' }),
            (error: unknown) => {
              outcomes.set(key, { key, status: 'failed', error });
              if (isFatal(error)) stopped = true;
            },
          )
          .finally(() => {
            running -= 1;
            pump();
          });
      }
      if (running === 0 && waiting.size === 0) resolve(tasks.map((t) => outcomes.get(t.key)!));
    };
    pump();
  });
}

function assertAcyclic(tasks: DagTask[], byKey: Map<string, DagTask>): void {
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (key: string, path: string[]) => {
    if (state.get(key) === 'done' || !byKey.has(key)) return;
    if (state.get(key) === 'visiting')
      throw new CloudError(
        `the plan's changes wait on each other in a circle (${[...path, key].join(' → ')}); apply it in two steps.`,
      );
    state.set(key, 'visiting');
    for (const next of byKey.get(key)!.after) visit(next, [...path, key]);
    state.set(key, 'done');
  };
  for (const task of tasks) visit(task.key, []);
}
