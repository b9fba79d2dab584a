// The machine model over HTTP, under /__sandbox (never faulted by the API's request faults, never
// rate limited): the executor of a process that did not start the sandbox reaches it here.
//   POST /__sandbox/machines/steps     {step, node, serverId, args} → the step's answer
//   POST /__sandbox/machines/external  {name, address, power?}     → registers Oxygen and the like
//   GET  /__sandbox/machines           the machines, etcd and the cluster as it stands
//   GET  /__sandbox/journal            every step so far
import type { MachineModel, MachineStepRequest } from './machine-model';
import { StepArgumentError } from './machine-steps';

export interface MachineHttpAnswer {
  status: number;
  body: unknown;
}

const problem = (status: number, message: string): MachineHttpAnswer => ({
  status,
  body: { error: { code: 'invalid_input', message } },
});

export function serveMachineRequest(
  model: MachineModel,
  method: string,
  path: string,
  body: string,
): MachineHttpAnswer | undefined {
  if (path === '/__sandbox/machines' && method === 'GET') return { status: 200, body: model.snapshot() };
  if (path === '/__sandbox/journal' && method === 'GET') return { status: 200, body: { entries: model.journal.all() } };
  if (path === '/__sandbox/machines/steps' && method === 'POST') {
    const request = parseBody(body) as MachineStepRequest | undefined;
    if (!request || typeof request !== 'object')
      return problem(400, 'the body must be a JSON object {step, node, serverId, args}');
    try {
      return {
        status: 200,
        body: model.run({ ...request, serverId: request.serverId ?? null, args: request.args ?? {} }),
      };
    } catch (error) {
      if (error instanceof StepArgumentError)
        return problem(400, `${request.step} on ${request.node}: ${error.message}`);
      throw error;
    }
  }
  if (path === '/__sandbox/machines/external' && method === 'POST') {
    const machine = parseBody(body) as { name?: unknown; address?: unknown; power?: unknown } | undefined;
    if (
      !machine ||
      typeof machine.name !== 'string' ||
      typeof machine.address !== 'string' ||
      (machine.power !== undefined && machine.power !== 'on' && machine.power !== 'off')
    )
      return problem(400, 'the body must be {"name": string, "address": string, "power"?: "on" | "off"}');
    model.registerExternalMachine(machine.name, machine.address, (machine.power as 'on' | 'off' | undefined) ?? 'on');
    return { status: 200, body: model.snapshot() };
  }
  return undefined;
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}
