import { CloudError } from '@personal-cloud/cluster';

/** Everything known about a failed Hetzner API call (or a failed action). */
export interface HcloudErrorInit {
  /** HTTP status; undefined when no response arrived, or for an action that failed. */
  status?: number | undefined;
  /** The API's machine code (`invalid_input`, `locked`, …) or ours for failures without one (`connection_reset`). */
  code: string;
  /** The API's own human message, or the network error's, verbatim. */
  apiMessage: string;
  details?: Record<string, unknown> | null | undefined;
  method: string;
  /** Path below the endpoint, with its query string. */
  path: string;
  /** The endpoint the request went to, so a network failure can name it. */
  endpoint?: string | undefined;
  /** No answer arrived after the request was sent: the server may or may not have carried it out. */
  outcomeUnknown?: boolean | undefined;
  /** How many times the request was sent before this error was final. */
  attempts?: number | undefined;
  /** For an action that ended in `error` (then `code` is the action's error code) or did not finish in time. */
  actions?: ReadonlyArray<{ id: number; command: string }> | undefined;
  cause?: unknown;
}

/**
 * A Hetzner API failure the operator can act on. `message` is one sentence that says what failed and
 * what to do; `apiMessage`, `code`, `details` keep what the API said, for logs and for callers that
 * branch on codes (`isHcloudError(e, 'not_found')`).
 */
export class HcloudError extends CloudError {
  override name = 'HcloudError';
  readonly status: number | undefined;
  readonly code: string;
  readonly apiMessage: string;
  readonly details: Record<string, unknown> | null;
  readonly method: string;
  readonly path: string;
  readonly outcomeUnknown: boolean;
  readonly attempts: number;
  readonly actions: ReadonlyArray<{ id: number; command: string }>;
  private readonly init: HcloudErrorInit;

  constructor(init: HcloudErrorInit) {
    super(describeFailure(init), init.cause === undefined ? undefined : { cause: init.cause });
    this.init = init;
    this.status = init.status;
    this.code = init.code;
    this.apiMessage = init.apiMessage;
    this.details = init.details ?? null;
    this.method = init.method;
    this.path = init.path;
    this.outcomeUnknown = init.outcomeUnknown ?? false;
    this.attempts = init.attempts ?? 1;
    this.actions = init.actions ?? [];
  }

  /** The same failure, final after `attempts` sends (the message then says it was retried). */
  afterAttempts(attempts: number): HcloudError {
    return attempts === this.attempts ? this : new HcloudError({ ...this.init, attempts });
  }
}

export function isHcloudError(error: unknown, code?: string): error is HcloudError {
  return error instanceof HcloudError && (code === undefined || error.code === code);
}

/** The one sentence for a failure: what happened (with status and code), then what to do. */
function describeFailure(e: HcloudErrorInit): string {
  const call = `${e.method} ${e.path}`;
  const said = `${e.status ?? 'no response'} ${e.code}${e.apiMessage ? `: ${e.apiMessage}` : ''}`;
  const tries = (e.attempts ?? 1) > 1 ? ` after ${e.attempts} attempts` : '';
  switch (e.code) {
    case 'unauthorized':
      return 'the Hetzner API rejected the token (401 unauthorized): check HCLOUD_TOKEN';
    case 'token_readonly':
      return `the Hetzner API token is read-only (401 token_readonly) and may not ${call}: set HCLOUD_TOKEN to a Read & Write token`;
    case 'forbidden':
      return `the Hetzner API token may not ${call} (${said}): check that HCLOUD_TOKEN belongs to this project and is Read & Write`;
    case 'resource_limit_exceeded':
      return `${call} would exceed the Hetzner project's limit on ${limitNames(e.details)} (${said}): delete unused resources or ask Hetzner support to raise the limit`;
    case 'maintenance':
      return `Hetzner is in maintenance for ${call} (${said}): rerun once the maintenance is over (https://status.hetzner.com)`;
    case 'not_found':
      return `${call} found nothing (${said}): the resource no longer exists; rerun so the plan is made from what exists now`;
    case 'uniqueness_error':
      return `${call} clashes with an existing resource with the same ${fieldNames(e.details) ?? 'name'} (${said}): rename or delete that resource, or give it this cluster's labels so it is adopted`;
    case 'invalid_input':
      return `${call} was refused for invalid input${fieldProblems(e.details)} (${said}): correct ${fieldNames(e.details) ?? 'the request'} in the configuration`;
    case 'locked':
      return `${call} found the resource locked by a running action${tries} (${said}): wait for that action to finish and rerun`;
    case 'protected':
      return `${call} is refused because the resource is protected (${said}): remove its protection (change_protection) first if this is really meant`;
    case 'conflict':
      return `${call} kept colliding with concurrent changes${tries} (${said}): rerun`;
    case 'rate_limit_exceeded':
      return `the Hetzner API rate limit (3600 requests an hour) is used up${tries} for ${call} (${said}): wait a few minutes and rerun`;
    case 'connection_refused':
    case 'dns_failure':
    case 'connect_timeout':
    case 'unreachable':
      return `could not reach the Hetzner API at ${e.endpoint ?? 'the endpoint'}${tries} for ${call} (${e.code}: ${e.apiMessage}): check HCLOUD_ENDPOINT and the network`;
    case 'action_timeout':
      return `the Hetzner action ${actionNames(e.actions)} did not finish in time (${e.apiMessage}): look at it in the Hetzner Console, then rerun, which resumes from what exists`;
    case 'invalid_response':
      return `the API at ${e.endpoint ?? 'the endpoint'} answered ${call} with something that is not the Hetzner API's JSON (${said}): check HCLOUD_ENDPOINT`;
  }
  // An action that ended in `error` carries the action's own code (e.g. placement_error).
  if (e.actions?.length && e.status === undefined)
    return `the Hetzner action ${actionNames(e.actions)} failed (${e.code}: ${e.apiMessage}): fix the cause and rerun, which resumes from what exists`;
  if (e.outcomeUnknown)
    return `no answer from the Hetzner API for ${call}${tries} (${e.code}: ${e.apiMessage}), so it may or may not have been carried out: rerun, which finds what exists by its labels before creating anything`;
  if (e.status !== undefined && e.status >= 500)
    return `the Hetzner API failed ${call}${tries} (${said}): retry later (https://status.hetzner.com)`;
  return `${call} failed (${said}): see the Hetzner API documentation for code ${e.code}`;
}

/** `details.limits[].name` of a resource_limit_exceeded error, e.g. "project_limit". */
function limitNames(details: HcloudErrorInit['details']): string {
  const limits = Array.isArray(details?.limits) ? (details.limits as Array<{ name?: unknown }>) : [];
  const names = limits.map((l) => l?.name).filter((n): n is string => typeof n === 'string');
  return names.length ? names.join(', ') : 'a resource';
}

/** `details.fields[]` of invalid_input / uniqueness_error: `{ name, messages? }`. */
function fields(details: HcloudErrorInit['details']): Array<{ name: string; messages: string[] }> {
  const list = Array.isArray(details?.fields) ? (details.fields as Array<{ name?: unknown; messages?: unknown }>) : [];
  return list
    .filter((f) => typeof f?.name === 'string')
    .map((f) => ({ name: f.name as string, messages: Array.isArray(f.messages) ? f.messages.map(String) : [] }));
}

function fieldNames(details: HcloudErrorInit['details']): string | undefined {
  const names = fields(details).map((f) => f.name);
  return names.length ? names.join(', ') : undefined;
}

function fieldProblems(details: HcloudErrorInit['details']): string {
  const list = fields(details);
  if (!list.length) return '';
  return ` in ${list.map((f) => (f.messages.length ? `${f.name} (${f.messages.join('; ')})` : f.name)).join(', ')}`;
}

function actionNames(actions: HcloudErrorInit['actions']): string {
  const list = (actions ?? []).map((a) => `${a.command} (id ${a.id})`);
  return list.length ? list.join(', ') : '(unknown)';
}
