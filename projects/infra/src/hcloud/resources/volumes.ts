import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';
import { actionsOf, running, type Action } from './actions';
import type { Location } from './catalog';
import { restResource } from './rest-resource';

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

const api = restResource<Volume, UpdateVolume>('volumes', 'volume');

export function list(
  client: HcloudClient,
  filter: ListFilter & { status?: Array<Volume['status']> } = {},
): Promise<Volume[]> {
  return api.list(client, { ...listQuery(filter), status: filter.status });
}

export const get = api.get;

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

export const update = api.update;

/** delete_volume; it must be detached first. */
const remove = api.delete;
export { remove as delete };

const volumeAction = api.action;

export function attach(
  client: HcloudClient,
  id: number,
  body: { server: number; automount?: boolean },
): Promise<Action> {
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
