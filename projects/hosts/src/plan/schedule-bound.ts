// How long a plan's machine steps take at the least, given how long each kind of step takes: the
// waves run one after another, and within a wave at most `concurrency` nodes at once. Pure. The
// Tailscale key check reads a run's expected length from it, and the bench divides wall time by it.
import type { HostsPlan, NodeAction } from './plan-hosts';

/** How long each kind of machine step takes, in ms (the sandbox's SANDBOX_MACHINE_MS names). */
export interface StepDurations {
  install: number;
  rebuild: number;
  /** From the end of a deploy to the node reporting Ready. */
  ready: number;
  /** A probe, an etcd command, a drain or a delete. */
  probe: number;
}

/**
 * What a real run takes per step, on the safe side: nixos-anywhere (kexec, disko, the closure over
 * the network, a reboot), a switch, k3s pulling its images before Ready.
 */
export const EXPECTED_HETZNER_DURATIONS: StepDurations = {
  install: 15 * 60_000,
  rebuild: 5 * 60_000,
  ready: 3 * 60_000,
  probe: 10_000,
};

/** One node's steps: a migration's snapshot, drain, removal, member check and clear come before its redeploy. */
export function nodeStepsMs(action: NodeAction, d: StepDurations): number {
  switch (action) {
    case 'install':
      return d.install + d.ready;
    case 'rebuild':
      return d.rebuild + d.ready;
    case 'migrate':
      return 5 * d.probe + d.rebuild + d.ready;
    case 'decommission':
      return 2 * d.probe;
    case 'skip':
      return 0;
  }
}

/**
 * The shortest time the plan's waves can take. Within a wave of c at a time, no schedule beats the
 * total over c, and among its k·c + 1 longest steps one slot runs k + 1 of them: for equal steps
 * that is exactly ⌈n / c⌉ steps, as a wave of five workers two at a time takes three.
 */
export function scheduleLowerBound(plan: HostsPlan, durations: StepDurations): number {
  const action = new Map(plan.nodes.map((n) => [n.node, n.action]));
  let total = 0;
  for (const wave of plan.waves) {
    const steps = wave.nodes.map((node) => nodeStepsMs(action.get(node) ?? 'skip', durations)).sort((a, b) => b - a);
    const slots = Math.max(1, Math.min(wave.concurrency, steps.length));
    let bound = steps.reduce((sum, ms) => sum + ms, 0) / slots;
    for (let k = 0; k * slots < steps.length; k++) bound = Math.max(bound, (k + 1) * steps[k * slots]!);
    total += bound;
  }
  return total;
}
