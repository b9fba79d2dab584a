import type { HcloudClient } from '../client';
import { findCreated } from '../create-recovery';
import type { Labels } from '../labels';
import { listQuery, type ListFilter } from '../pagination';
import { actionsOf, type Action } from './actions';
import { restResource } from './rest-resource';

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

const api = restResource<PlacementGroup, UpdatePlacementGroup>('placement_groups', 'placement_group');

export function list(client: HcloudClient, filter: ListFilter = {}): Promise<PlacementGroup[]> {
  return api.list(client, listQuery(filter));
}

export const get = api.get;

/** create_placement_group; a lost answer is recovered by name and labels (there are no actions to find). */
export async function create(client: HcloudClient, body: CreatePlacementGroup): Promise<PlacementGroupCreated> {
  const answer = await client.request<{ placement_group: PlacementGroup; action?: Action | null }>(
    'POST',
    '/placement_groups',
    {
      body,
      recover: async () => {
        const found = await findCreated<PlacementGroup>(client, '/placement_groups', 'placement_groups', body);
        return found && { placement_group: found, action: null };
      },
    },
  );
  return { placement_group: answer.placement_group, actions: actionsOf(answer) };
}

export const update = api.update;

const remove = api.delete;
export { remove as delete };
