import type { HcloudClient } from '../client';
import type { Query } from '../pagination';
import type { Action } from './actions';

/**
 * The calls every Hetzner resource makes the same way: list at `/<plural>`, read, update and
 * delete at `/<plural>/{id}`, actions at `/<plural>/{id}/actions/{command}`. Each resource module
 * builds its own from this and adds what differs (its create, its list filters, its actions).
 */
export function restResource<T, Update>(plural: string, singular: string) {
  const path = `/${plural}`;
  return {
    list: (client: HcloudClient, query: Query): Promise<T[]> => client.listAll<T>(path, plural, query),
    get: async (client: HcloudClient, id: number): Promise<T> =>
      (await client.request<Record<string, T>>('GET', `${path}/${id}`))[singular]!,
    update: async (client: HcloudClient, id: number, body: Update): Promise<T> =>
      (await client.request<Record<string, T>>('PUT', `${path}/${id}`, { body }))[singular]!,
    /** Its action where the API starts one (servers), else undefined; also undefined when a retry found it already gone. */
    delete: async (client: HcloudClient, id: number): Promise<Action | undefined> =>
      (await client.request<{ action?: Action }>('DELETE', `${path}/${id}`))?.action,
    action: async (client: HcloudClient, id: number, command: string, body?: object): Promise<Action> =>
      (await client.request<{ action: Action }>('POST', `${path}/${id}/actions/${command}`, body ? { body } : {}))
        .action,
  };
}
