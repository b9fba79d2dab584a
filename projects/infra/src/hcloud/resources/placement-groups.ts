import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';
import { actionsOf, type Action } from './actions';

export interface PlacementGroup {
  id: number;
  name: string;
  labels: Labels;
  /** `spread`: its servers run on different physical hosts. */
  type: 'spread';
  created: string;
  servers: number[];
}

export interface CreatePlacementGroup {
  name: string;
  labels?: Labels;
  type: 'spread';
}

export interface UpdatePlacementGroup {
  name?: string;
  labels?: Labels;
}

/** A created (or recovered) placement group and the actions to wait for (usually none). */
export interface PlacementGroupCreated {
  placement_group: PlacementGroup;
  actions: Action[];
}

export function list(client: HcloudClient, filter: ListFilter = {}): Promise<PlacementGroup[]> {
  return client.listAll<PlacementGroup>('/placement_groups', 'placement_groups', listQuery(filter));
}

export async function get(client: HcloudClient, id: number): Promise<PlacementGroup> {
  return (await client.request<{ placement_group: PlacementGroup }>('GET', `/placement_groups/${id}`)).placement_group;
}

/** create_placement_group; a lost answer is recovered by name and labels (there are no actions to find). */
export async function create(client: HcloudClient, body: CreatePlacementGroup): Promise<PlacementGroupCreated> {
  const answer = await client.request<{ placement_group: PlacementGroup; action?: Action | null }>('POST', '/placement_groups', {
    body,
    recover: async () => {
      const found = await findCreated<PlacementGroup>(client, '/placement_groups', 'placement_groups', body);
      return found && { placement_group: found, action: null };
    },
  });
  return { placement_group: answer.placement_group, actions: actionsOf(answer) };
}

export async function update(client: HcloudClient, id: number, body: UpdatePlacementGroup): Promise<PlacementGroup> {
  return (await client.request<{ placement_group: PlacementGroup }>('PUT', `/placement_groups/${id}`, { body })).placement_group;
}

async function deletePlacementGroup(client: HcloudClient, id: number): Promise<void> {
  await client.request<void>('DELETE', `/placement_groups/${id}`);
}
export { deletePlacementGroup as delete };
