// Actions as data. An action runs from `started` to `finishes`; nothing ticks in the background:
// the first request after `finishes` settles it (status, finish time, and its effect), so a world
// reloaded from disk finishes its actions exactly as a live one would.
import { removeResource } from './removal';
import type { ActionEffect, ActionFailure, ActionRecord, ResourceRef, World } from './world';
import { nextId } from './world';

export interface ActionPlan {
  command: string;
  resources: ResourceRef[];
  failure: ActionFailure | null;
  durationMs: number;
  onSuccess?: ActionEffect;
  onFailure?: ActionEffect;
}

export function addAction(world: World, now: number, plan: ActionPlan): ActionRecord {
  const action: ActionRecord = {
    id: nextId(world, 'actions'),
    command: plan.command,
    started: now,
    finishes: now + Math.max(0, plan.durationMs),
    finished: null,
    status: 'running',
    resources: plan.resources.map((r) => ({ id: r.id, type: r.type })),
    failure: plan.failure,
  };
  if (plan.onSuccess) action.onSuccess = plan.onSuccess;
  if (plan.onFailure) action.onFailure = plan.onFailure;
  world.actions[action.id] = action;
  world.running.push(action.id);
  return action;
}

/** Ends every running action whose time is up, in the order they end; true when anything changed. */
export function settleActions(world: World, now: number): boolean {
  const due = world.running
    .map((id) => world.actions[id])
    .filter((a): a is ActionRecord => !!a && a.finishes <= now)
    .sort((a, b) => a.finishes - b.finishes || a.id - b.id);
  if (due.length === 0) return false;
  const done = new Set(due.map((a) => a.id));
  world.running = world.running.filter((id) => !done.has(id));
  for (const action of due) {
    action.status = action.failure ? 'error' : 'success';
    action.finished = action.finishes;
    const effect = action.failure ? action.onFailure : action.onSuccess;
    if (effect) removeResource(world, effect.remove.type, effect.remove.id);
  }
  return true;
}

const key = (ref: ResourceRef) => `${ref.type}:${ref.id}`;

/** The running actions by the resources they hold; a resource in this map is locked. */
export function runningByResource(world: World): Map<string, ActionRecord[]> {
  const index = new Map<string, ActionRecord[]>();
  for (const id of world.running) {
    const action = world.actions[id];
    if (!action) continue;
    for (const ref of action.resources) {
      const list = index.get(key(ref));
      if (list) list.push(action);
      else index.set(key(ref), [action]);
    }
  }
  return index;
}

export function runningOn(index: Map<string, ActionRecord[]>, type: string, id: number): ActionRecord[] {
  return index.get(key({ type, id })) ?? [];
}

const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');

/** Hetzner's time format: seconds, with an explicit UTC offset. */
export function formatTime(ms: number): string {
  return iso(ms);
}

export interface ActionView {
  id: number;
  command: string;
  status: 'running' | 'success' | 'error';
  started: string;
  finished: string | null;
  progress: number;
  resources: ResourceRef[];
  error: ActionFailure | null;
}

export function renderAction(action: ActionRecord, now: number): ActionView {
  const running = action.status === 'running';
  const span = action.finishes - action.started;
  const progress = running
    ? Math.max(0, Math.min(99, span <= 0 ? 99 : Math.floor(((now - action.started) / span) * 100)))
    : 100;
  return {
    id: action.id,
    command: action.command,
    status: action.status,
    started: formatTime(action.started),
    finished: action.finished === null ? null : formatTime(action.finished),
    progress,
    resources: action.resources.map((r) => ({ id: r.id, type: r.type })),
    error:
      action.status === 'error' && action.failure
        ? { code: action.failure.code, message: action.failure.message }
        : null,
  };
}
