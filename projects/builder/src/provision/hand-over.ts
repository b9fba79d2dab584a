// provision's steps around the deploy: the handover between the builder's unit and its Kubernetes
// workload, when the plan has one (plan-oxygen.ts decides, from a fresh probe). Before a deploy,
// a running workload is handed back (the deploy restarts the unit); after it, a Ready node takes
// the workload. A handover that fails is one red line, never a thrown error.
import pc from 'picocolors';
import { planOxygen } from '../plan/plan-oxygen';
import { BUILDER_WORKLOAD } from '../render/builder-workload';
import type { OxygenFile } from './oxygen-deployment';
import { OxygenStepError, type OxygenExecutor, type OxygenProbe, type OxygenTarget } from './oxygen-executor';
import { oxygenHandover } from './oxygen-handover';

export interface HandOverInput {
  /** The generation provision deploys: before the deploy only the way back is taken (the deploy restarts the unit). */
  wantedGeneration: string;
  when: 'before-deploy' | 'after-deploy';
  managedBy: 'systemd' | 'kubernetes';
  roles: readonly ('builder' | 'worker')[];
  /** dist/builder/render's files: the workload's manifest is one of them. */
  rendered: Record<string, string>;
  /** The deployment's files: the Secret takes the host key and attic's config from them. */
  files: readonly OxygenFile[];
  log(line: string): void;
}

export async function handOverIfPlanned(
  executor: OxygenExecutor,
  target: OxygenTarget,
  input: HandOverInput,
): Promise<'kubernetes' | 'unit' | 'failed' | null> {
  let probe: OxygenProbe;
  try {
    probe = await executor.probe(target);
  } catch (error) {
    if (error instanceof OxygenStepError && error.reason === 'unreachable') return null;
    throw error;
  }
  const plan = planOxygen({
    name: target.name,
    probe,
    roles: input.roles,
    managedBy: input.managedBy,
    deployedAs: '',
    wantedGeneration: input.wantedGeneration,
  });
  const wanted = input.when === 'before-deploy' ? ['hand-back'] : ['handover', 'hand-back', 'wait'];
  const step = plan.actions.find((a) => wanted.includes(a.action));
  if (!step || step.action === 'wait') {
    if (step) input.log(`builder: ${step.detail}.`);
    return null;
  }
  const to = step.action === 'handover' ? 'kubernetes' : 'unit';
  // The way back deletes the workload by its name: it needs no rendered file.
  const workload = input.rendered[BUILDER_WORKLOAD.file] ?? '';
  try {
    await executor.handover(target, oxygenHandover(to, workload, input.files));
  } catch (error) {
    if (!(error instanceof OxygenStepError)) throw error;
    input.log(pc.red(`builder: ✗ the ${step.action} did not happen: ${error.message}`));
    return 'failed';
  }
  input.log(`builder: ${target.name}: ${step.action}: ${step.detail}.`);
  return to;
}
