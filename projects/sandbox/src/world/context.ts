// The world as one request sees it: the clock frozen at the request's arrival, derived indexes
// built lazily and dropped on change, and the fault injector deciding each new action's fate.
import { ApiError } from '../http/api-error';
import { addAction, runningOn } from './actions';
import type { Relations } from './relations';
import type { ActionEffect, ActionFailure, ActionRecord, ResourceRef, World } from './world';

export interface WorldContext {
  readonly world: World;
  readonly now: number;
  /** How long an action runs. */
  readonly actionMs: number;
  /** How many servers the project may have. */
  readonly serverLimit: number;
  /** Marks the world changed: it is persisted before the response, and derived indexes are rebuilt. */
  changed(): void;
  relations(): Relations;
  /** Running actions by `type:id` of the resources they hold. */
  running(): Map<string, ActionRecord[]>;
  /** Whether the next action fails (the `action_error` fault); null when it will succeed. */
  planFailure(): ActionFailure | null;
}

export function isLocked(context: WorldContext, type: string, id: number): boolean {
  return runningOn(context.running(), type, id).length > 0;
}

/** 423 `locked` when any of `refs` is held by a running action. */
export function assertUnlocked(context: WorldContext, ...refs: ResourceRef[]): void {
  for (const ref of refs) {
    const [action] = runningOn(context.running(), ref.type, ref.id);
    if (action)
      throw new ApiError(
        423,
        'locked',
        `${ref.type} ${ref.id} is locked: action ${action.id} (${action.command}) is still running`,
      );
  }
}

export interface StartAction {
  command: string;
  resources: ResourceRef[];
  /** A failure the action is known to end in; otherwise the fault injector decides. */
  failure?: ActionFailure | null;
  /** How many action lengths it runs (actions queued behind another run two). */
  lengths?: number;
  onSuccess?: ActionEffect;
  onFailure?: ActionEffect;
}

export function startAction(context: WorldContext, start: StartAction): ActionRecord {
  const failure = start.failure === undefined ? context.planFailure() : start.failure;
  const action = addAction(context.world, context.now, {
    command: start.command,
    resources: start.resources,
    failure,
    durationMs: context.actionMs * (start.lengths ?? 1),
    ...(start.onSuccess ? { onSuccess: start.onSuccess } : {}),
    ...(start.onFailure ? { onFailure: start.onFailure } : {}),
  });
  context.changed();
  return action;
}

/** The failure of an action that follows one that will fail: it cannot succeed either. */
export function followingFailure(first: ActionRecord): ActionFailure | null {
  return first.failure
    ? { code: first.failure.code, message: `${first.command} failed: ${first.failure.message}` }
    : null;
}
