import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';

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

export function list(client: HcloudClient, filter: ListFilter & { fingerprint?: string } = {}): Promise<SshKey[]> {
  return client.listAll<SshKey>('/ssh_keys', 'ssh_keys', { ...listQuery(filter), fingerprint: filter.fingerprint });
}

export async function get(client: HcloudClient, id: number): Promise<SshKey> {
  return (await client.request<{ ssh_key: SshKey }>('GET', `/ssh_keys/${id}`)).ssh_key;
}

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

export async function update(client: HcloudClient, id: number, body: UpdateSshKey): Promise<SshKey> {
  return (await client.request<{ ssh_key: SshKey }>('PUT', `/ssh_keys/${id}`, { body })).ssh_key;
}

async function deleteSshKey(client: HcloudClient, id: number): Promise<void> {
  await client.request<void>('DELETE', `/ssh_keys/${id}`);
}
export { deleteSshKey as delete };
