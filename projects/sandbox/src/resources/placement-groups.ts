// Placement groups: synchronous; a spread group holds at most ten servers.
import { LIMITS } from '@personal-cloud/cluster';
import { z } from 'zod';
import type { Handler } from '../http/handler';
import { parseBody } from '../http/request-body';
import type { Router } from '../http/router';
import { enumParam, listResponse } from '../listing/list-resources';
import { formatTime } from '../world/actions';
import type { WorldContext } from '../world/context';
import { removeResource } from '../world/removal';
import type { PlacementGroupRecord } from '../world/world';
import { nextId } from '../world/world';
import { assertUniqueName, copyLabels, labelsField, plainName, recordAt } from './fields';
import { ApiError } from '../http/api-error';

/** Hetzner places the servers of a spread group on distinct hosts, ten at most. */
export const SPREAD_GROUP_LIMIT = LIMITS.serversPerSpreadGroup;

const createBody = z.object({ name: plainName, labels: labelsField.optional(), type: z.enum(['spread']) });
const updateBody = z.object({ name: plainName.optional(), labels: labelsField.optional() });

export function renderPlacementGroup(context: WorldContext, group: PlacementGroupRecord) {
  return {
    id: group.id,
    name: group.name,
    labels: { ...group.labels },
    type: group.type,
    created: formatTime(group.created),
    servers: context.relations().serversInGroup(group.id),
  };
}

export function isGroupFull(context: WorldContext, groupId: number): boolean {
  return context.relations().serversInGroup(groupId).length >= SPREAD_GROUP_LIMIT;
}

const list: Handler = (request, context) => {
  const types = enumParam(request.query, 'type', ['spread']);
  return listResponse(request, {
    key: 'placement_groups',
    records: Object.values(context.world.placement_groups),
    render: (g) => renderPlacementGroup(context, g),
    sortFields: ['id', 'name', 'created'],
    byName: (g) => g.name,
    labels: (g) => g.labels,
    filters: types ? [(g) => types.has(g.type)] : [],
  });
};

const create: Handler = (request, context) => {
  const body = parseBody(createBody, request.body);
  const { world } = context;
  assertUniqueName(world.placement_groups, body.name, 'Placement group');
  const group: PlacementGroupRecord = {
    id: nextId(world, 'placement_groups'),
    name: body.name,
    created: context.now,
    labels: copyLabels(body.labels),
    type: body.type,
  };
  world.placement_groups[group.id] = group;
  context.changed();
  return { status: 201, body: { placement_group: renderPlacementGroup(context, group), action: null } };
};

const groupAt = (context: WorldContext, raw: string | undefined) =>
  recordAt(context.world.placement_groups, raw, 'Placement group');

const get: Handler = (request, context) => ({
  status: 200,
  body: { placement_group: renderPlacementGroup(context, groupAt(context, request.params.id)) },
});

const update: Handler = (request, context) => {
  const group = groupAt(context, request.params.id);
  const body = parseBody(updateBody, request.body);
  if (body.name !== undefined) {
    assertUniqueName(context.world.placement_groups, body.name, 'Placement group', group.id);
    group.name = body.name;
  }
  if (body.labels !== undefined) group.labels = copyLabels(body.labels);
  context.changed();
  return { status: 200, body: { placement_group: renderPlacementGroup(context, group) } };
};

const remove: Handler = (request, context) => {
  const group = groupAt(context, request.params.id);
  if (context.relations().serversInGroup(group.id).length > 0)
    throw new ApiError(422, 'service_error', `placement group ${group.id} still has servers; remove them first`);
  removeResource(context.world, 'placement_group', group.id);
  context.changed();
  return { status: 204 };
};

export function placementGroupRoutes(router: Router<Handler>): void {
  router
    .get('/placement_groups', list)
    .post('/placement_groups', create)
    .get('/placement_groups/{id}', get)
    .put('/placement_groups/{id}', update)
    .delete('/placement_groups/{id}', remove);
}
