// An interrupted provision or destroy stops at a safe point: the request on the wire is let
// finish, and the next one, whatever it is, is refused. Every step runs through the client, so
// that one refusal stops them all: a refused create, update or delete never starts; an action
// wait stops at its next poll, the action left to finish on Hetzner's side. The refusal is not an
// API error, so the DAG treats it as fatal and starts nothing new; the run unwinds through the
// state recorder's flush and the vault lock's release. What was done is in the state; what was
// cut short carries our labels and is adopted by the rerun.
import { RunInterrupted } from '@personal-cloud/layer-kit';
import type { HcloudClientOptions } from './hcloud/client';

/** Client options whose every request first checks `stop`; without one, the options as they are. */
export function stopAtSafePoint(
  options: Partial<HcloudClientOptions> = {},
  stop?: AbortSignal,
): Partial<HcloudClientOptions> {
  if (!stop) return options;
  return {
    ...options,
    onRequest(request) {
      if (stop.aborted)
        throw new RunInterrupted(`interrupted (${String(stop.reason)}) before ${request.method} ${request.path}`);
      options.onRequest?.(request);
    },
  };
}
