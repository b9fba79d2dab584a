// provision's last step on Oxygen: the handover between the builder's unit and its Kubernetes
// workload, when the plan has one (plan-oxygen.ts decides, from a fresh probe: only a Ready node
// takes the workload). A handover that fails is one red line; the unit side is left as it was.
import { chalk } from 'zx';
import { planOxygen } from '../plan/plan-oxygen';
import { BUILDER_WORKLOAD } from '../render/builder-workload';
import type { OxygenFile } from './oxygen-deployment';
import { OxygenStepError, type OxygenExecutor, type OxygenTarget } from './oxygen-executor';
import { oxygenHandover } from './oxygen-handover';

export interface HandOverInput {
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
): Promise<'kubernetes' | 'unit' | null> {
  let probe;
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
    wantedGeneration: probe.generation,
  });
  const step = plan.actions.find((a) => a.action === 'handover' || a.action === 'hand-back' || a.action === 'wait');
  if (!step || step.action === 'wait') {
    if (step && input.managedBy === 'kubernetes') input.log(`builder: ${step.detail}.`);
    return null;
  }
  const to = step.action === 'handover' ? 'kubernetes' : 'unit';
  // The way back deletes the workload by its name: it needs no rendered file.
  const workload = input.rendered[BUILDER_WORKLOAD.file] ?? '';
  try {
    await executor.handover(target, oxygenHandover(to, workload, input.files));
  } catch (error) {
    if (!(error instanceof OxygenStepError)) throw error;
    input.log(chalk.red(`builder: ✗ the ${step.action} did not happen: ${error.message}`));
    return null;
  }
  input.log(`builder: ${target.name}: ${step.action}: ${step.detail}.`);
  return to;
}
