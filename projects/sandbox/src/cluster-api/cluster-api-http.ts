// The cluster's API side over HTTP, under /__sandbox beside the machine model:
//   GET  /__sandbox/gitops           {url}: the GitOps remote, a bare repository, made on first use
//   GET  /__sandbox/cluster          Flux, the Secrets (names and keys) and each Kustomization's condition
//   POST /__sandbox/cluster/steps    {step, args} → {step, outcome, message?, result?}
//   GET  /__sandbox/cluster/replicationdestinations/<namespace>/<name>   VolSync's status of a restore
import type { MachineHttpAnswer } from '../machines/machine-http';
import { StepArgumentError } from '../machines/machine-steps';
import type { ClusterApiModel } from './cluster-api-model';

export async function serveClusterRequest(
  model: ClusterApiModel,
  method: string,
  path: string,
  body: string,
): Promise<MachineHttpAnswer | undefined> {
  if (path === '/__sandbox/gitops' && method === 'GET') return { status: 200, body: { url: model.gitops.url() } };
  if (path === '/__sandbox/cluster' && method === 'GET') return { status: 200, body: model.state() };
  const destination = /^\/__sandbox\/cluster\/replicationdestinations\/([^/]+)\/([^/]+)$/.exec(path);
  if (destination && method === 'GET') {
    const found = model.replicationDestination(destination[1]!, destination[2]!);
    return found
      ? { status: 200, body: found }
      : {
          status: 404,
          body: {
            error: { code: 'not_found', message: `no ReplicationDestination ${destination[1]}/${destination[2]}` },
          },
        };
  }
  if (path !== '/__sandbox/cluster/steps' || method !== 'POST') return undefined;
  let request: { step?: unknown; args?: unknown };
  try {
    request = JSON.parse(body) as typeof request;
  } catch {
    request = {};
  }
  if (!request || typeof request.step !== 'string')
    return problem('the body must be a JSON object {"step": string, "args": object}');
  try {
    return { status: 200, body: await model.run(request.step, (request.args ?? {}) as Record<string, unknown>) };
  } catch (error) {
    if (error instanceof StepArgumentError) return problem(`${request.step}: ${error.message}`);
    throw error;
  }
}

function problem(message: string): MachineHttpAnswer {
  return { status: 400, body: { error: { code: 'invalid_input', message } } };
}
