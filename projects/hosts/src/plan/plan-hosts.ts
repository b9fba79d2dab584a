// Desired nodes (hosts.json) against what hosts' state says was deployed → per node one of
// install, rebuild, skip or a migration step, in the order provision runs them, with etcd's
// quorum after each control-plane step; a worker deployed before that the config no longer has is
// decommissioned. Pure.
import type { HostNode, HostsDocument } from '../render/hosts-document';
import type { HostsState } from '../state/hosts-state';
import { controlPlaneTransition } from './control-plane-transition';
import { quorumThrough, type MembershipChange, type QuorumState } from './etcd-quorum';

export type NodeAction = 'install' | 'rebuild' | 'skip' | 'migrate' | 'decommission';

export interface PlannedNode {
  node: string;
  role: 'server' | 'agent';
  action: NodeAction;
  reason: string;
  generation: string;
  /** For control-plane steps: etcd while the step runs and after it. */
  etcd?: { during: QuorumState; after: QuorumState };
}

export interface Wave {
  /** What the wave does, for the output. */
  title: string;
  nodes: string[];
  /** How many of its nodes may run at once. */
  concurrency: number;
}

export interface HostsPlan {
  cluster: string;
  phase: number;
  nodes: PlannedNode[];
  /** Run one after another; a wave starts when the one before succeeded. */
  waves: Wave[];
  /** Nodes infra has not created yet (no vars). */
  pending: string[];
  /** Why provision must not run this plan, if it must not. */
  refused: string | null;
  /** The etcd members once the plan is done, oldest first. */
  k3sServersAfter: string[];
  /** What the operator should know that does not stop the run (a server type at k3s's minimum, the Tailscale key). */
  notices: string[];
}

export interface PlanHostsInput {
  document: HostsDocument;
  generations: Record<string, string>;
  state: Pick<HostsState, 'k3sServers' | 'deployed'>;
  /** hosts.maxParallel: workers deployed at once. */
  maxParallel: number;
}

export const DEFAULT_MAX_PARALLEL = 2;

export function planHosts({ document, generations, state, maxParallel }: PlanHostsInput): HostsPlan {
  const nodes = Object.values(document.nodes);
  const planned = new Map(nodes.map((node) => [node.name, planNode(node, generations[node.name]!, state)]));
  const desiredServers = nodes.filter((n) => n.k3s.role === 'server').map((n) => n.name);
  const transition = controlPlaneTransition(state.k3sServers, desiredServers);
  const refusals: string[] = [];
  if (!transition.ok) refusals.push(transition.reason);
  const migrating = [...planned.values()].filter((p) => p.action === 'migrate').map((p) => p.node);

  // Workers deployed before that the config no longer has (a lower phase, a smaller pool). A
  // server leaving is the control-plane transition's to refuse; a pending node is still wanted.
  const wanted = new Set([...nodes.map((n) => n.name), ...document.pending.map((p) => p.node)]);
  const leaving = Object.entries(state.deployed)
    .filter(([name, deployed]) => !wanted.has(name) && deployed.role === 'agent')
    .map(([name]) => name)
    .sort(byNodeOrder);
  for (const name of leaving)
    planned.set(name, {
      node: name,
      role: 'agent',
      action: 'decommission',
      reason:
        'no longer in the config: drained, its node object deleted; then `infra:provision --prune` deletes its server',
      generation: '',
    });

  const needs = (node: HostNode) => planned.get(node.name)!.action !== 'skip';
  const servers = nodes.filter((n) => n.k3s.role === 'server' && needs(n));
  const agents = nodes.filter((n) => n.k3s.role === 'agent' && needs(n) && !migrating.includes(n.name));
  const first =
    document.k3s.bootstrapNode && servers.some((s) => s.name === document.k3s.bootstrapNode)
      ? document.k3s.bootstrapNode
      : null;
  const joining = servers.filter((s) => s.name !== first && planned.get(s.name)!.action === 'install');
  const rolling = servers.filter((s) => planned.get(s.name)!.action === 'rebuild');
  const waves: Wave[] = [];
  if (first) waves.push({ title: `${first} starts the cluster`, nodes: [first], concurrency: 1 });
  if (joining.length)
    waves.push({ title: 'control-plane nodes join', nodes: joining.map((n) => n.name), concurrency: joining.length });
  // etcd moves off a server that becomes an agent once the new servers have joined.
  if (migrating.length)
    waves.push({
      title:
        'etcd moves off: snapshot, drain, member removal from another server, member check, clear, redeploy as agent',
      nodes: migrating,
      concurrency: 1,
    });
  if (rolling.length)
    waves.push({ title: 'control-plane nodes, one at a time', nodes: rolling.map((n) => n.name), concurrency: 1 });
  if (agents.length)
    waves.push({
      title: `workers, ${Math.min(maxParallel, agents.length)} at a time`,
      nodes: agents.map((n) => n.name),
      concurrency: maxParallel,
    });
  // Last, once the nodes that stay are Ready, and one at a time, so their workloads have room.
  if (leaving.length)
    waves.push({
      title: 'workers leave, one at a time: drained from a server, node object deleted, marked decommissioned',
      nodes: leaving,
      concurrency: 1,
    });

  // etcd through the control-plane steps, in wave order.
  const changes: MembershipChange[] = [
    ...(first ? [first] : []),
    ...joining.map((n) => n.name),
    ...rolling.map((n) => n.name),
  ].map((node) => ({
    kind: state.k3sServers.includes(node) ? 'restart' : 'add',
    node,
  }));
  for (const step of quorumThrough(state.k3sServers, changes))
    planned.get(step.change.node)!.etcd = { during: step.during, after: step.after };
  if (transition.ok)
    for (const step of transition.steps.filter((s) => s.change.kind === 'remove'))
      planned.get(step.change.node)!.etcd = { during: step.during, after: step.after };

  return {
    cluster: document.cluster,
    phase: document.phase,
    nodes: [...planned.values()],
    waves,
    pending: document.pending.map((p) => p.node),
    refused: refusals.length ? refusals.join('; ') : null,
    k3sServersAfter: [
      ...state.k3sServers.filter((s) => desiredServers.includes(s)),
      ...desiredServers.filter((s) => !state.k3sServers.includes(s)),
    ],
    notices: [],
  };
}

function planNode(node: HostNode, generation: string, state: Pick<HostsState, 'deployed'>): PlannedNode {
  const deployed = state.deployed[node.name];
  const base = { node: node.name, role: node.k3s.role, generation };
  if (!deployed) return { ...base, action: 'install', reason: 'not installed yet' };
  if (deployed.role === 'server' && node.k3s.role === 'agent')
    return { ...base, action: 'migrate', reason: 'moves from k3s server to agent' };
  if (deployed.generation !== generation) return { ...base, action: 'rebuild', reason: 'its configuration changed' };
  if (deployed.role !== node.k3s.role)
    return { ...base, action: 'rebuild', reason: `its k3s role changes to ${node.k3s.role}` };
  return { ...base, action: 'skip', reason: 'unchanged since its last deploy' };
}

/** `worker-2` before `worker-10`: by pool, then index. */
function byNodeOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** Machine steps a plan makes (a no-op run makes none). */
export function plannedSteps(plan: HostsPlan): number {
  return plan.nodes.filter((n) => n.action !== 'skip').length;
}
