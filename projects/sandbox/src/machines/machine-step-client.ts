// The caller's side of POST /__sandbox/machines/steps, shared by every layer whose machine steps
// the model answers (hosts' servers, the builder's Oxygen): send the step, turn a refusal or a
// failed outcome into one sentence, and wait on the caller's clock until the model says it ends.
import type { MachineStepAnswer, MachineStepRequest } from './machine-model';

export interface MachineStepClock {
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

/** A step the model refused, could not reach, or ran to failure; `message` is the whole sentence. */
export class MachineStepRefused extends Error {
  constructor(
    readonly outcome: 'failed' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

/** Runs one step on the sandbox at `origin`; resolves with its result once it has ended. */
export async function runMachineStep(
  origin: string,
  request: MachineStepRequest,
  clock: MachineStepClock = {},
): Promise<unknown> {
  const { step, node } = request;
  const response = await fetch(`${origin}/__sandbox/machines/steps`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(request),
  });
  const answer = (await response.json()) as MachineStepAnswer & { error?: { message: string } };
  if (!response.ok)
    throw new MachineStepRefused(
      'failed',
      `${step} on ${node}: the sandbox refused the step: ${answer.error?.message ?? response.status}.`,
    );
  if (answer.outcome === 'unreachable')
    throw new MachineStepRefused('unreachable', `${step} on ${node}: ${answer.message}.`);
  if (answer.outcome === 'failed')
    throw new MachineStepRefused('failed', `${step} on ${node} failed: ${answer.message}.`);
  const wait = answer.finishesAt - (clock.now ?? Date.now)();
  if (wait > 0) await (clock.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms))))(wait);
  return answer.result;
}
