// Firewalls: rules and the servers they apply to (directly or by label selector). A server takes at
// most five firewalls, counting those that reach it through a selector.
import { LIMITS } from '@personal-cloud/cluster';
import { z } from 'zod';
import { ApiError, invalidField, resourceLimitExceeded } from '../http/api-error';
import type { Handler } from '../http/handler';
import { parseBody } from '../http/request-body';
import type { Router } from '../http/router';
import { labelSelectorParam, listResponse } from '../listing/list-resources';
import { parseCidr } from '../world/addresses';
import { formatTime, renderAction, runningOn } from '../world/actions';
import { assertUnlocked, startAction, type WorldContext } from '../world/context';
import { removeResource } from '../world/removal';
import type { FirewallRecord, FirewallRule, FirewallTarget } from '../world/world';
import { nextId } from '../world/world';
import { assertUniqueName, copyLabels, idField, labelsField, plainName, recordAt } from './fields';

export const FIREWALLS_PER_SERVER = LIMITS.firewallsPerServer;
export const RULES_PER_FIREWALL = LIMITS.rulesPerFirewall;

const ruleBody = z.object({
  description: z.string().max(255).nullable().optional(),
  direction: z.enum(['in', 'out']),
  source_ips: z.array(z.string()).optional(),
  destination_ips: z.array(z.string()).optional(),
  protocol: z.enum(['tcp', 'udp', 'icmp', 'esp', 'gre']),
  port: z.string().optional(),
});
const targetBody = z.object({
  type: z.enum(['server', 'label_selector']),
  server: z.object({ id: idField }).optional(),
  label_selector: z.object({ selector: z.string() }).optional(),
});
const createBody = z.object({
  name: plainName,
  labels: labelsField.optional(),
  rules: z.array(ruleBody).max(RULES_PER_FIREWALL).optional(),
  apply_to: z.array(targetBody).optional(),
});
const updateBody = z.object({ name: plainName.optional(), labels: labelsField.optional() });
const setRulesBody = z.object({ rules: z.array(ruleBody).max(RULES_PER_FIREWALL) });
const applyBody = z.object({ apply_to: z.array(targetBody) });
const removeBody = z.object({ remove_from: z.array(targetBody) });

function isCidr(text: string): boolean {
  if (text.includes(':')) {
    const match = /^([0-9a-fA-F:]+)\/(\d{1,3})$/.exec(text);
    return !!match && Number(match[2]) <= 128 && (match[1]!.match(/:/g) ?? []).length >= 2;
  }
  return parseCidr(text) !== undefined;
}

function checkRules(rules: z.infer<typeof ruleBody>[], field: string): FirewallRule[] {
  return rules.map((rule, i) => {
    const at = `${field}.${i}`;
    const sources = rule.source_ips ?? [];
    const destinations = rule.destination_ips ?? [];
    if (rule.direction === 'in' && sources.length === 0)
      throw invalidField(`${at}.source_ips`, 'an inbound rule needs source IPs');
    if (rule.direction === 'out' && destinations.length === 0)
      throw invalidField(`${at}.destination_ips`, 'an outbound rule needs destination IPs');
    for (const [name, list] of [
      ['source_ips', sources],
      ['destination_ips', destinations],
    ] as const)
      for (const ip of list)
        if (!isCidr(ip))
          throw invalidField(`${at}.${name}`, `"${ip}" is not a network in CIDR notation, e.g. 0.0.0.0/0 or ::/0`);
    const needsPort = rule.protocol === 'tcp' || rule.protocol === 'udp';
    if (needsPort && rule.port === undefined) throw invalidField(`${at}.port`, `is required for ${rule.protocol}`);
    if (!needsPort && rule.port !== undefined)
      throw invalidField(`${at}.port`, `must be left out for ${rule.protocol}`);
    if (rule.port !== undefined && !validPort(rule.port))
      throw invalidField(`${at}.port`, `"${rule.port}" must be a port (1-65535), a range like 1024-2048, or "any"`);
    return {
      description: rule.description ?? null,
      direction: rule.direction,
      source_ips: rule.direction === 'in' ? sources : [],
      destination_ips: rule.direction === 'out' ? destinations : [],
      protocol: rule.protocol,
      port: rule.port ?? null,
    };
  });
}

function validPort(port: string): boolean {
  if (port === 'any') return true;
  const match = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(port);
  if (!match) return false;
  const low = Number(match[1]);
  const high = match[2] === undefined ? low : Number(match[2]);
  return low >= 1 && high <= 65535 && low <= high;
}

function sameTarget(a: FirewallTarget, b: FirewallTarget): boolean {
  if (a.type === 'server' && b.type === 'server') return a.server.id === b.server.id;
  if (a.type === 'label_selector' && b.type === 'label_selector')
    return a.label_selector.selector === b.label_selector.selector;
  return false;
}

function toTarget(body: z.infer<typeof targetBody>, field: string): FirewallTarget {
  if (body.type === 'server') {
    if (!body.server) throw invalidField(`${field}.server`, 'is required for type server');
    return { type: 'server', server: { id: body.server.id } };
  }
  if (!body.label_selector) throw invalidField(`${field}.label_selector`, 'is required for type label_selector');
  labelSelectorParam(body.label_selector.selector);
  return { type: 'label_selector', label_selector: { selector: body.label_selector.selector } };
}

/** The servers a target reaches now. */
function serversOf(context: WorldContext, target: FirewallTarget): number[] {
  if (target.type === 'server') return [target.server.id];
  return context.relations().serversMatching(target.label_selector.selector);
}

/**
 * Checks that adding `targets` to `firewall` leaves every server with at most five firewalls and
 * names only servers that exist; `notFound.status` is the operation's own status (404 or 422) for a missing one.
 */
function checkTargets(
  context: WorldContext,
  firewall: FirewallRecord | undefined,
  targets: FirewallTarget[],
  notFound: { status: number },
): void {
  const relations = context.relations();
  targets.forEach((target, i) => {
    if (target.type === 'server' && !context.world.servers[target.server.id])
      throw new ApiError(notFound.status, 'firewall_resource_not_found', `server ${target.server.id} does not exist`);
    if (targets.findIndex((t) => sameTarget(t, target)) !== i)
      throw new ApiError(
        422,
        firewall ? 'firewall_already_applied' : 'server_already_added',
        `the firewall is applied to the same resource twice`,
      );
    if (firewall?.applied_to.some((t) => sameTarget(t, target)))
      throw new ApiError(
        422,
        'firewall_already_applied',
        `firewall ${firewall.id} is already applied to this resource`,
      );
  });
  const reached = new Set(targets.flatMap((t) => serversOf(context, t)));
  for (const serverId of reached) {
    const current = relations.firewallsOf(serverId);
    if (firewall && current.includes(firewall.id)) continue;
    if (current.length + 1 > FIREWALLS_PER_SERVER)
      throw resourceLimitExceeded(
        'firewalls_per_server',
        `server ${serverId} already has ${FIREWALLS_PER_SERVER} firewalls, the most a server can have`,
      );
  }
}

export function renderFirewall(context: WorldContext, firewall: FirewallRecord) {
  const relations = context.relations();
  return {
    id: firewall.id,
    name: firewall.name,
    labels: { ...firewall.labels },
    created: formatTime(firewall.created),
    rules: firewall.rules.map((r) => ({
      ...r,
      source_ips: [...r.source_ips],
      destination_ips: [...r.destination_ips],
    })),
    applied_to: firewall.applied_to.map((t) =>
      t.type === 'server'
        ? { type: 'server' as const, server: { id: t.server.id } }
        : {
            type: 'label_selector' as const,
            label_selector: { selector: t.label_selector.selector },
            applied_to_resources: relations
              .serversMatching(t.label_selector.selector)
              .map((id) => ({ type: 'server' as const, server: { id } })),
          },
    ),
  };
}

/** A server's firewalls as `public_net.firewalls` shows them: pending while applying. */
export function serverFirewalls(
  context: WorldContext,
  serverId: number,
): { id: number; status: 'applied' | 'pending' }[] {
  const applying = runningOn(context.running(), 'server', serverId).filter((a) => a.command === 'apply_firewall');
  return context
    .relations()
    .firewallsOf(serverId)
    .map((id) => ({
      id,
      status: applying.some((a) => a.resources.some((r) => r.type === 'firewall' && r.id === id))
        ? ('pending' as const)
        : ('applied' as const),
    }));
}

/** Starts one `apply_firewall` action per target, applying those that will succeed. */
function applyTargets(context: WorldContext, firewall: FirewallRecord, targets: FirewallTarget[]) {
  return targets.map((target) => {
    const servers = serversOf(context, target);
    const action = startAction(context, {
      command: 'apply_firewall',
      resources: [{ id: firewall.id, type: 'firewall' }, ...servers.map((id) => ({ id, type: 'server' }))],
    });
    if (!action.failure) firewall.applied_to.push(target);
    return action;
  });
}

const list: Handler = (request, context) =>
  listResponse(request, {
    key: 'firewalls',
    records: Object.values(context.world.firewalls),
    render: (f) => renderFirewall(context, f),
    sortFields: ['id', 'name', 'created'],
    byName: (f) => f.name,
    labels: (f) => f.labels,
  });

const create: Handler = (request, context) => {
  const body = parseBody(createBody, request.body);
  const { world } = context;
  assertUniqueName(world.firewalls, body.name, 'Firewall');
  const rules = checkRules(body.rules ?? [], 'rules');
  const targets = (body.apply_to ?? []).map((t, i) => toTarget(t, `apply_to.${i}`));
  checkTargets(context, undefined, targets, { status: 422 });
  const firewall: FirewallRecord = {
    id: nextId(world, 'firewalls'),
    name: body.name,
    created: context.now,
    labels: copyLabels(body.labels),
    rules: [],
    applied_to: [],
  };
  world.firewalls[firewall.id] = firewall;
  context.changed();
  const actions = [];
  if (rules.length > 0) {
    const action = startAction(context, {
      command: 'set_firewall_rules',
      resources: [{ id: firewall.id, type: 'firewall' }],
    });
    if (!action.failure) firewall.rules = rules;
    actions.push(action);
  }
  actions.push(...applyTargets(context, firewall, targets));
  context.changed();
  return {
    status: 201,
    body: { firewall: renderFirewall(context, firewall), actions: actions.map((a) => renderAction(a, context.now)) },
  };
};

const firewallAt = (context: WorldContext, raw: string | undefined) =>
  recordAt(context.world.firewalls, raw, 'Firewall');

const get: Handler = (request, context) => ({
  status: 200,
  body: { firewall: renderFirewall(context, firewallAt(context, request.params.id)) },
});

const update: Handler = (request, context) => {
  const firewall = firewallAt(context, request.params.id);
  const body = parseBody(updateBody, request.body);
  if (body.name !== undefined) {
    assertUniqueName(context.world.firewalls, body.name, 'Firewall', firewall.id);
    firewall.name = body.name;
  }
  if (body.labels !== undefined) firewall.labels = copyLabels(body.labels);
  context.changed();
  return { status: 200, body: { firewall: renderFirewall(context, firewall) } };
};

const remove: Handler = (request, context) => {
  const firewall = firewallAt(context, request.params.id);
  assertUnlocked(context, { type: 'firewall', id: firewall.id });
  if (firewall.applied_to.length > 0)
    throw new ApiError(
      422,
      'resource_in_use',
      `firewall ${firewall.id} is still applied to resources; remove it from them first`,
    );
  removeResource(context.world, 'firewall', firewall.id);
  context.changed();
  return { status: 204 };
};

const setRules: Handler = (request, context) => {
  const firewall = firewallAt(context, request.params.id);
  const body = parseBody(setRulesBody, request.body);
  assertUnlocked(context, { type: 'firewall', id: firewall.id });
  const rules = checkRules(body.rules, 'rules');
  const servers = firewall.applied_to.flatMap((t) => serversOf(context, t));
  const action = startAction(context, {
    command: 'set_firewall_rules',
    resources: [{ id: firewall.id, type: 'firewall' }, ...[...new Set(servers)].map((id) => ({ id, type: 'server' }))],
  });
  if (!action.failure) firewall.rules = rules;
  return { status: 201, body: { actions: [renderAction(action, context.now)] } };
};

const applyToResources: Handler = (request, context) => {
  const firewall = firewallAt(context, request.params.id);
  const body = parseBody(applyBody, request.body);
  assertUnlocked(context, { type: 'firewall', id: firewall.id });
  const targets = body.apply_to.map((t, i) => toTarget(t, `apply_to.${i}`));
  checkTargets(context, firewall, targets, { status: 404 });
  const actions = applyTargets(context, firewall, targets);
  return { status: 201, body: { actions: actions.map((a) => renderAction(a, context.now)) } };
};

const removeFromResources: Handler = (request, context) => {
  const firewall = firewallAt(context, request.params.id);
  const body = parseBody(removeBody, request.body);
  assertUnlocked(context, { type: 'firewall', id: firewall.id });
  const targets = body.remove_from.map((t, i) => toTarget(t, `remove_from.${i}`));
  for (const target of targets) {
    if (firewall.applied_to.some((t) => sameTarget(t, target))) continue;
    if (target.type === 'server' && context.relations().firewallsOf(target.server.id).includes(firewall.id))
      throw new ApiError(
        422,
        'firewall_managed_by_label_selector',
        `firewall ${firewall.id} reaches server ${target.server.id} through a label selector; remove the selector instead`,
      );
    throw new ApiError(404, 'firewall_resource_not_found', `firewall ${firewall.id} is not applied to that resource`);
  }
  const actions = targets.map((target) => {
    const action = startAction(context, {
      command: 'remove_firewall',
      resources: [
        { id: firewall.id, type: 'firewall' },
        ...serversOf(context, target).map((id) => ({ id, type: 'server' })),
      ],
    });
    if (!action.failure) firewall.applied_to = firewall.applied_to.filter((t) => !sameTarget(t, target));
    return action;
  });
  return { status: 201, body: { actions: actions.map((a) => renderAction(a, context.now)) } };
};

export function firewallRoutes(router: Router<Handler>): void {
  router
    .get('/firewalls', list)
    .post('/firewalls', create)
    .get('/firewalls/{id}', get)
    .put('/firewalls/{id}', update)
    .delete('/firewalls/{id}', remove)
    .post('/firewalls/{id}/actions/set_rules', setRules)
    .post('/firewalls/{id}/actions/apply_to_resources', applyToResources)
    .post('/firewalls/{id}/actions/remove_from_resources', removeFromResources);
}
