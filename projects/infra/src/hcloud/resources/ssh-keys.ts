import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';
import { restResource } from './rest-resource';

export interface SshKey {
  id: number;
  name: string;
  /** MD5 fingerprint of the public key. */
  fingerprint: string;
  public_key: string;
  labels: Labels;
  created: string;
}

export interface CreateSshKey {
  name: string;
  public_key: string;
  labels?: Labels;
}

export interface UpdateSshKey {
  name?: string;
  labels?: Labels;
}

const api = restResource<SshKey, UpdateSshKey>('ssh_keys', 'ssh_key');

export function list(client: HcloudClient, filter: ListFilter & { fingerprint?: string } = {}): Promise<SshKey[]> {
  return api.list(client, { ...listQuery(filter), fingerprint: filter.fingerprint });
}

export const get = api.get;

/** create_ssh_key; a lost answer is recovered by name and labels. */
export async function create(client: HcloudClient, body: CreateSshKey): Promise<SshKey> {
  const answer = await client.request<{ ssh_key: SshKey }>('POST', '/ssh_keys', {
    body,
    recover: async () => {
      const found = await findCreated<SshKey>(client, '/ssh_keys', 'ssh_keys', body);
      return found && { ssh_key: found };
    },
  });
  return answer.ssh_key;
}

export const update = api.update;

const remove = api.delete;
export { remove as delete };
