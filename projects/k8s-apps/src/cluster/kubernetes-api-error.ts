// One sentence for what the Kubernetes API refused: what was being done to which object, the HTTP
// status, and the API server's own message (its Status object), which names the missing
// permission (403) or the field manager that holds a conflicting field (409).
import { CloudError } from '@personal-cloud/cluster';

const STATUS_TEXT: Record<number, string> = {
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  422: 'Unprocessable Entity',
};

/** What each status means for the operator: the fix, where there is one. */
const HINT: Record<number, string> = {
  401: "the kubeconfig's credentials are not accepted; run `npx nx run hosts:provision` to record the cluster's current kubeconfig",
  403: "the kubeconfig's user lacks that permission",
  409: 'another field manager owns a field this run sets; change it where that manager takes it from, or remove that manager',
};

/** The HTTP status of an API answer the client threw, or undefined for a failure to reach the server. */
export function apiStatus(error: unknown): number | undefined {
  const code = (error as { code?: unknown }).code;
  return typeof code === 'number' ? code : undefined;
}

export function kubernetesApiError(doing: string, error: unknown, server: string, timeoutMs: number): CloudError {
  const status = apiStatus(error);
  if (status === undefined && ['AbortError', 'TimeoutError'].includes((error as Error).name))
    return new CloudError(
      `k8s-apps: the Kubernetes API at ${server} did not answer within ${timeoutMs / 1000} s while ${doing}; is the node reachable (the tailnet up)?`,
    );
  if (status === undefined)
    return new CloudError(
      `k8s-apps: the Kubernetes API at ${server} did not answer while ${doing}: ${(error as Error).message}; is the node reachable (the tailnet up)?`,
    );
  const message = statusMessage((error as { body?: unknown }).body);
  const hint = HINT[status] ? `; ${HINT[status]}` : '';
  const answered = [status, STATUS_TEXT[status]].filter(Boolean).join(' ');
  return new CloudError(
    `k8s-apps: the Kubernetes API answered ${answered} while ${doing}: ${message.replace(/\.$/, '')}${hint}.`,
  );
}

/** The message of the API server's Status object, which the client hands over parsed or as its JSON text. */
function statusMessage(body: unknown): string {
  let parsed = body;
  if (typeof body === 'string')
    try {
      parsed = JSON.parse(body);
    } catch {
      return body || 'no message';
    }
  const message = (parsed as { message?: unknown } | null)?.message;
  return typeof message === 'string' && message ? message : 'no message';
}
