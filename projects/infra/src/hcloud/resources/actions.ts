import type { HcloudClient } from '../client';

/** An asynchronous task of the API (get_action). Wait for it with `client.waitForActions`. */
export interface Action {
  id: number;
  command: string;
  status: 'running' | 'success' | 'error';
  /** RFC 3339. */
  started: string;
  finished: string | null;
  /** Percent, 0–100. */
  progress: number;
  resources: Array<{ id: number; type: string }>;
  error: { code: string; message: string } | null;
}

/**
 * Ids per `GET /actions?id=…`: the answer is one page, and a page holds 25 entries unless asked
 * otherwise, so more ids per request would silently drop actions from the answer.
 */
export const MAX_IDS_PER_REQUEST = 25;

/**
 * The current state of the given actions (get_actions), one request per 25 ids, sent together.
 * Actions the API does not know are absent from the result.
 */
export async function get(client: HcloudClient, ids: readonly number[]): Promise<Action[]> {
  const unique = [...new Set(ids)];
  const batches: number[][] = [];
  for (let i = 0; i < unique.length; i += MAX_IDS_PER_REQUEST) batches.push(unique.slice(i, i + MAX_IDS_PER_REQUEST));
  const answers = await Promise.all(
    batches.map((batch) => client.request<{ actions: Action[] }>('GET', '/actions', { query: { id: batch } })),
  );
  return answers.flatMap((answer) => answer.actions);
}

/**
 * The still-running actions of one resource (list_<resource>_actions with status=running), e.g.
 * `actions.running(client, 'servers', 42)`. Used when a lost create is recovered: the caller waits
 * for these instead of the ones the lost answer held.
 */
export function running(
  client: HcloudClient,
  resource: 'servers' | 'volumes' | 'primary_ips' | 'firewalls',
  id: number,
): Promise<Action[]> {
  return client.listAll<Action>(`/${resource}/${id}/actions`, 'actions', { status: ['running'], sort: ['id:asc'] });
}

/** Every action in an answer (`action`, `actions`, `next_actions`), in order: what a caller waits for. */
export function actionsOf(answer: {
  action?: Action | null;
  actions?: Action[] | null;
  next_actions?: Action[] | null;
}): Action[] {
  return [...(answer.action ? [answer.action] : []), ...(answer.actions ?? []), ...(answer.next_actions ?? [])];
}
