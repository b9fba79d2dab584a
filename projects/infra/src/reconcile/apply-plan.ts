// Executes a plan: each change as a task, in dependency order, several at a time.
import type { ResourceType } from '@personal-cloud/cluster';
import type { HcloudClient } from '../hcloud/client';
import { HcloudError } from '../hcloud/errors';
import { isTransient } from '../hcloud/retry-policy';
import type { InfraBook } from '../state/infra-book';
import type { Progress } from '@personal-cloud/layer-kit';
import { changeDependencies } from './dependencies';
import type { ApplyContext } from './kind';
import { KINDS } from './kinds';
import { observedKey, type Observed } from './observed';
import type { Change, Plan } from './plan-types';
import { replaceResource, updateResource } from './replacement';
import { runDag, type DagOutcome } from '@personal-cloud/layer-kit';

export interface ApplyOptions {
  client: HcloudClient;
  observed: Observed[];
  book: InfraBook;
  progress: Progress;
  concurrency: number;
}

/**
 * A failure that another round cannot fix: the API said no (uniqueness_error, protected,
 * invalid_input, a limit), or our own bug. Lost answers, failed actions and the API's "not now"
 * answers (locks, conflicts, rate limits, 5xx) are tried again in the next round, and so is a
 * 404: the resource went away meanwhile, and the next plan is made without it.
 */
export function isFatal(error: unknown): boolean {
  if (!(error instanceof HcloudError)) return true;
  if (error.status === undefined || error.status === 404) return false;
  return !isTransient(error.status, error.code);
}

const DONE = { create: 'created', update: 'updated', delete: 'deleted', replace: 'replaced' } as const;

export async function applyPlan(plan: Plan, options: ApplyOptions): Promise<DagOutcome[]> {
  const ids = new Map(options.observed.map((o) => [observedKey(o), o.id]));
  const { client, book, progress } = options;
  const contextFor = (change: Change): ApplyContext => ({
    client,
    idOf(type, name) {
      const id = ids.get(observedKey({ type, name }));
      if (id === undefined) throw new Error(`${change.key} needs ${type} ${name}, which does not exist`);
      return id;
    },
    findId: (type: ResourceType, name: string) => ids.get(observedKey({ type, name })),
    wait: async (actions) => {
      if (actions && (!Array.isArray(actions) || actions.length)) await client.waitForActions(actions);
    },
    async settled(type, name, id, facts = {}) {
      ids.set(observedKey({ type, name }), id);
      book.settled(type, name, { id, ...facts });
    },
    async removed(type, name) {
      ids.delete(observedKey({ type, name }));
      book.removed(type, name);
    },
    note: (text) => progress.note(change.key, text),
  });

  const dependencies = changeDependencies(plan);
  const tasks = plan.changes.map((change) => ({
    key: change.key,
    after: dependencies.get(change.key) ?? [],
    async run() {
      const kind = KINDS[change.type];
      const ctx = contextFor(change);
      progress.begin(change.key, change.action === 'create' ? 'create' : `${change.action} (${change.reason})`);
      try {
        if (change.action === 'delete') await kind.remove(ctx, change.observed!);
        if (change.action === 'create') await kind.create(ctx, change.desired!);
        if (change.action === 'replace')
          await replaceResource(kind, ctx, change.desired!, change.observed!, change.leftover);
        if (change.action === 'update')
          await updateResource(kind, ctx, change.desired!, change.observed!, change.differences);
        progress.end(change.key, true, DONE[change.action]);
      } catch (error) {
        progress.end(change.key, false, error instanceof Error ? error.message : String(error));
        throw error;
      }
    },
  }));
  return runDag(tasks, options.concurrency, isFatal);
}
