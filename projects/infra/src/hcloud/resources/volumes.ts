import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';
import { actionsOf, running, type Action } from './actions';
import type { Location } from './catalog';

export interface Volume {
  id: number;
  created: string;
  name: string;
  /** The server it is attached to. */
  server: number | null;
  location: Location;
  /** GB. */
  size: number;
  linux_device: string;
  protection: { delete: boolean };
  labels: Labels;
  status: 'available' | 'creating';
  /** File system made at creation, if one was asked for. */
  format: string | null;
}

/** create_volume's body: `location`, or `server` to create it beside that server and attach it. */
export interface CreateVolume {
  name: string;
  /** GB. */
  size: number;
  location?: string;
  server?: number;
  /** Mount it on the server after attaching (needs `server`). */
  automount?: boolean;
  format?: 'xfs' | 'ext4';
  labels?: Labels;
}

export interface UpdateVolume {
  name?: string;
  labels?: Labels;
}

/** A created (or recovered) volume and the actions to wait for. */
export interface VolumeCreated {
  volume: Volume;
  actions: Action[];
}

export function list(client: HcloudClient, filter: ListFilter & { status?: Array<Volume['status']> } = {}): Promise<Volume[]> {
  return client.listAll<Volume>('/volumes', 'volumes', { ...listQuery(filter), status: filter.status });
}

export async function get(client: HcloudClient, id: number): Promise<Volume> {
  return (await client.request<{ volume: Volume }>('GET', `/volumes/${id}`)).volume;
}

/** create_volume. A lost answer is recovered by name and labels, with the volume's still-running actions. */
export async function create(client: HcloudClient, body: CreateVolume): Promise<VolumeCreated> {
  type Answer = { volume: Volume; action?: Action | null; next_actions?: Action[]; actions?: Action[] };
  const answer = await client.request<Answer>('POST', '/volumes', {
    body,
    recover: async () => {
      const found = await findCreated<Volume>(client, '/volumes', 'volumes', body);
      return found && { volume: found, actions: await running(client, 'volumes', found.id) };
    },
  });
  return { volume: answer.volume, actions: actionsOf(answer) };
}

export async function update(client: HcloudClient, id: number, body: UpdateVolume): Promise<Volume> {
  return (await client.request<{ volume: Volume }>('PUT', `/volumes/${id}`, { body })).volume;
}

/** delete_volume; it must be detached first. */
async function deleteVolume(client: HcloudClient, id: number): Promise<void> {
  await client.request<void>('DELETE', `/volumes/${id}`);
}
export { deleteVolume as delete };

async function volumeAction(client: HcloudClient, id: number, command: string, body?: object): Promise<Action> {
  return (await client.request<{ action: Action }>('POST', `/volumes/${id}/actions/${command}`, body ? { body } : {})).action;
}

export function attach(client: HcloudClient, id: number, body: { server: number; automount?: boolean }): Promise<Action> {
  return volumeAction(client, id, 'attach', body);
}

export function detach(client: HcloudClient, id: number): Promise<Action> {
  return volumeAction(client, id, 'detach');
}

/** Grows the volume to `size` GB (it can never shrink); the file system is grown separately, on the server. */
export function resize(client: HcloudClient, id: number, body: { size: number }): Promise<Action> {
  return volumeAction(client, id, 'resize', body);
}

export function changeProtection(client: HcloudClient, id: number, body: { delete?: boolean }): Promise<Action> {
  return volumeAction(client, id, 'change_protection', body);
}
