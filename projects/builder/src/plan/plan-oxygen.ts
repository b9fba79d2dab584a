// builder:plan's decision: what provision would do to Oxygen, from the generation render made and
// what Oxygen answered (or that it did not). The same rules provision follows (provision-oxygen.ts
// deploys when the generations differ; the handover follows `oxygen.builder.managedBy` once Oxygen
// is a Ready node). Pure.
import type { OxygenProbe } from '../provision/oxygen-executor';

export type OxygenAction =
  | { action: 'set-up'; detail: string }
  | { action: 'update'; detail: string }
  | { action: 'join'; detail: string }
  | { action: 'handover'; detail: string }
  | { action: 'hand-back'; detail: string }
  | { action: 'wait'; detail: string }
  | { action: 'nothing'; detail: string };

export interface OxygenPlan {
  oxygen: string;
  /** Whether Oxygen answered; a sleeping desktop is no failure. */
  answered: boolean;
  wantedGeneration: string | null;
  runningGeneration: string | null;
  actions: OxygenAction[];
}

export interface OxygenPlanInput {
  name: string;
  /** The generation provision would deploy; null when render is not complete. */
  wantedGeneration: string | null;
  probe: OxygenProbe | { unreachable: string };
  roles: readonly ('builder' | 'worker')[];
  /** How the deployment puts the units there, in words (the module with nixos-rebuild, or the plain files). */
  deployedAs: string;
  managedBy: 'systemd' | 'kubernetes';
}

export function planOxygen(input: OxygenPlanInput): OxygenPlan {
  const { name, probe, wantedGeneration } = input;
  const base = { oxygen: name, wantedGeneration };
  if ('unreachable' in probe)
    return {
      ...base,
      answered: false,
      runningGeneration: null,
      actions: [
        {
          action: 'wait',
          detail: `${name} does not answer (${probe.unreachable}); provision changes nothing until it does`,
        },
      ],
    };
  const actions: OxygenAction[] = [];
  const running = probe.generation;
  const builder = input.roles.includes('builder');
  const worker = input.roles.includes('worker');
  const deploys = wantedGeneration !== null && running !== wantedGeneration;
  const kubernetes = builder && input.managedBy === 'kubernetes';
  // A deploy restarts the builder's unit: a running workload is handed back first, so the store
  // never has two writers, and the handover follows once the node is Ready again.
  if (builder && probe.runsAs === 'workload' && (deploys || !kubernetes))
    actions.push({
      action: 'hand-back',
      detail: `delete the workload, start the builder unit again, keep the store (/nix)${deploys ? ', before the deploy restarts the unit' : ''}`,
    });
  if (wantedGeneration === null)
    actions.push({
      action: 'wait',
      detail: 'render is not complete (builder:check says what is missing); nothing can be deployed',
    });
  else if (running === null)
    actions.push({
      action: 'set-up',
      detail: `generation ${short(wantedGeneration)}: ${[builder && 'the builder container and its push loop', worker && 'the k3s agent'].filter(Boolean).join(' and ')}, ${input.deployedAs}`,
    });
  else if (deploys)
    actions.push({
      action: 'update',
      detail: `generation ${short(running)} → ${short(wantedGeneration)}, ${input.deployedAs}`,
    });
  if (worker && (running === null || !probe.k3s) && wantedGeneration !== null)
    actions.push({
      action: 'join',
      detail: `${name} joins the cluster as a k3s agent (never a server), with its labels and taints`,
    });
  // The config refuses managedBy 'kubernetes' without the worker role: Oxygen is then a node.
  if (kubernetes && (deploys || probe.runsAs !== 'workload'))
    actions.push(
      probe.k3s?.ready === true && !deploys
        ? {
            action: 'handover',
            detail: 'stop the builder unit, start the workload pinned to Oxygen, keep the store (/nix)',
          }
        : { action: 'wait', detail: `the handover to Kubernetes waits until ${name} has joined and is a Ready node` },
    );

  if (!actions.length)
    actions.push({ action: 'nothing', detail: `${name} runs generation ${short(running!)} already` });
  return { ...base, answered: true, runningGeneration: running, actions };
}

function short(generation: string): string {
  return generation.slice(0, 12);
}

/** The plan as the hosts layer prints its own: a headline, then one line per action and why. */
export function formatOxygenPlan(plan: OxygenPlan): string {
  const changes = plan.actions.filter((a) => a.action !== 'wait' && a.action !== 'nothing').length;
  if (!changes && plan.actions.every((a) => a.action === 'nothing'))
    return `builder: no changes: ${plan.actions[0]!.detail}.`;
  return [
    `builder: ${plan.oxygen}: ${changes} step(s)`,
    ...plan.actions.map((a) => `  ${a.action.padEnd(9)} ${a.detail}`),
  ].join('\n');
}
