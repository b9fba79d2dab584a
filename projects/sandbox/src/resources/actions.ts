// Reading actions: by id (`/actions?id=…` for many at once), per resource type
// (`/servers/actions`) and per resource (`/servers/{id}/actions`).
import { invalidField, notFound } from '../http/api-error';
import type { ApiRequest, Handler } from '../http/handler';
import type { Router } from '../http/router';
import { enumParam, listResponse } from '../listing/list-resources';
import { paginate, parsePageRequest } from '../listing/pagination';
import { renderAction } from '../world/actions';
import type { WorldContext } from '../world/context';
import type { ActionRecord } from '../world/world';
import { pathId } from './fields';
import { imageTable } from './images';

const SORT_FIELDS = ['id', 'command', 'status', 'started', 'finished'];

/** Collections with actions: path segment, the type in action resources, and where the resources live. */
const ACTION_OWNERS = [
  { path: 'servers', type: 'server', what: 'Server', exists: (c: WorldContext, id: number) => !!c.world.servers[id] },
  { path: 'volumes', type: 'volume', what: 'Volume', exists: (c: WorldContext, id: number) => !!c.world.volumes[id] },
  {
    path: 'networks',
    type: 'network',
    what: 'Network',
    exists: (c: WorldContext, id: number) => !!c.world.networks[id],
  },
  {
    path: 'firewalls',
    type: 'firewall',
    what: 'Firewall',
    exists: (c: WorldContext, id: number) => !!c.world.firewalls[id],
  },
  {
    path: 'primary_ips',
    type: 'primary_ip',
    what: 'Primary IP',
    exists: (c: WorldContext, id: number) => !!c.world.primary_ips[id],
  },
  { path: 'images', type: 'image', what: 'Image', exists: (_c: WorldContext, id: number) => !!imageTable[id] },
] as const;

function actionIds(query: URLSearchParams): number[] {
  return query
    .getAll('id')
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '')
    .map((v) => pathId(v, 'id'));
}

function listActions(request: ApiRequest, context: WorldContext, records: ActionRecord[]) {
  const statuses = enumParam(request.query, 'status', ['running', 'success', 'error']);
  return listResponse(request, {
    key: 'actions',
    records,
    render: (a) => renderAction(a, context.now),
    sortFields: SORT_FIELDS,
    sortValue: (a, field) =>
      field === 'command' ? a.command : field === 'status' ? a.status : field === 'started' ? a.started : a.finished,
    filters: statuses ? [(a) => statuses.has(a.status)] : [],
  });
}

const involves = (action: ActionRecord, type: string, id?: number) =>
  action.resources.some((r) => r.type === type && (id === undefined || r.id === id));

/** `GET /actions?id=…`: the actions asked for, in the order of their ids; unknown ids are left out. */
const getMany: Handler = (request, context) => {
  const ids = actionIds(request.query);
  if (ids.length === 0) throw invalidField('id', 'at least one action id is required');
  const found = [...new Set(ids)].sort((a, b) => a - b).flatMap((id) => context.world.actions[id] ?? []);
  const page = paginate(found, parsePageRequest(request.query), request.url);
  return {
    status: 200,
    body: { actions: page.items.map((a) => renderAction(a, context.now)), meta: { pagination: page.pagination } },
    headers: page.link ? { Link: page.link } : undefined,
  };
};

function actionAt(
  context: WorldContext,
  raw: string | undefined,
  filter: (a: ActionRecord) => boolean = () => true,
  name = 'id',
): ActionRecord {
  const id = pathId(raw, name);
  const action = context.world.actions[id];
  if (!action || !filter(action)) throw notFound('Action', id);
  return action;
}

const getOne: Handler = (request, context) => ({
  status: 200,
  body: { action: renderAction(actionAt(context, request.params.id), context.now) },
});

export function actionRoutes(router: Router<Handler>): void {
  router.get('/actions', getMany).get('/actions/{id}', getOne);
  for (const owner of ACTION_OWNERS) {
    const ofType = (a: ActionRecord) => involves(a, owner.type);
    router.get(`/${owner.path}/actions`, (request, context) => {
      const ids = new Set(actionIds(request.query));
      const records = Object.values(context.world.actions).filter(
        (a) => ofType(a) && (ids.size === 0 || ids.has(a.id)),
      );
      return listActions(request, context, records);
    });
    router.get(`/${owner.path}/actions/{id}`, (request, context) => ({
      status: 200,
      body: { action: renderAction(actionAt(context, request.params.id, ofType), context.now) },
    }));
    const owned = (context: WorldContext, raw: string | undefined) => {
      const id = pathId(raw);
      if (!owner.exists(context, id)) throw notFound(owner.what, id);
      return id;
    };
    router.get(`/${owner.path}/{id}/actions`, (request, context) => {
      const id = owned(context, request.params.id);
      return listActions(
        request,
        context,
        Object.values(context.world.actions).filter((a) => involves(a, owner.type, id)),
      );
    });
    router.get(`/${owner.path}/{id}/actions/{action_id}`, (request, context) => {
      const id = owned(context, request.params.id);
      const action = actionAt(context, request.params.action_id, (a) => involves(a, owner.type, id), 'action_id');
      return { status: 200, body: { action: renderAction(action, context.now) } };
    });
  }
}
