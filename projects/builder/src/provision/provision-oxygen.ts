// builder:provision's work, whichever executor reaches Oxygen: probe it; a desktop that does not
// answer is said in one line and changes nothing (the hosts build and substitute without it:
// fallback = true); the same generation already there changes nothing; anything else is deployed.
import type { OxygenDeployment } from './oxygen-deployment';
import { OxygenStepError, type OxygenExecutor, type OxygenTarget } from './oxygen-executor';

export type OxygenOutcome = 'unreachable' | 'unchanged' | 'deployed';

export async function provisionOxygen(
  executor: OxygenExecutor,
  target: OxygenTarget,
  deployment: OxygenDeployment,
  log: (line: string) => void,
): Promise<OxygenOutcome> {
  let running: string | null;
  try {
    running = await executor.generation(target);
  } catch (error) {
    if (!(error instanceof OxygenStepError) || error.reason !== 'unreachable') throw error;
    log(
      `builder: ${error.message.replace(/\.$/, '')}; nothing was changed, and the hosts build without it until it is back (fallback = true).`,
    );
    return 'unreachable';
  }
  if (running === deployment.generation) {
    log(`builder: ${target.name} runs generation ${deployment.generation.slice(0, 12)} already; nothing to change.`);
    return 'unchanged';
  }
  await executor.deploy(target, deployment);
  log(
    `builder: ${target.name} now runs generation ${deployment.generation.slice(0, 12)} (was ${running ? running.slice(0, 12) : 'none'}): ${deployment.files.length} file(s), ${deployment.commands.length} command(s).`,
  );
  return 'deployed';
}
