import { realSleep, type Now, type Sleep } from './clock';
import { HcloudError } from './errors';
import type { Action } from './resources/actions';

/**
 * When to look at running actions again. Overshoot (time between an action finishing and us
 * noticing) is what a provision run pays on its critical path; requests are what the hourly budget
 * of 3600 pays. The estimate from progress aims at the finish; the bounds keep both costs small.
 */
export interface PollPolicy {
  /** Never sooner than this after a look, even when the estimate says the finish is imminent. */
  floorMs: number;
  /** The first wait for an action that reports no progress (Hetzner often reports 0 until done). */
  firstIntervalMs: number;
  /** Without progress, wait this fraction of the action's age: looks get sparser as it runs, and the overshoot stays within this fraction of its duration. */
  noProgressRatio: number;
  /** Never longer than this between looks while the action is young, so a wrong estimate is corrected soon. */
  ceilingMs: number;
  /** For long actions the ceiling grows to this fraction of the age (10 % late on a 5-minute resize is fine) … */
  longActionRatio: number;
  /** … up to this. */
  maxCeilingMs: number;
  /** How long one `waitFor` waits before it rejects with action_timeout (a wait may override it). */
  timeoutMs: number;
  /** Answers in a row that may lack an action before its waiters are told it is gone. */
  maxMisses: number;
}

export const defaultPollPolicy: PollPolicy = {
  floorMs: 50,
  firstIntervalMs: 100,
  noProgressRatio: 0.25,
  ceilingMs: 1_000,
  longActionRatio: 0.1,
  maxCeilingMs: 5_000,
  timeoutMs: 10 * 60_000,
  maxMisses: 3,
};

/**
 * The wait before the next look at a running action, from its progress `p` (percent) and age:
 * with 0 < p < 100 the finish is expected after age × (100 − p) / p (linear progress); without
 * progress the wait is a share of the age, starting from `firstIntervalMs`. Clamped to
 * [floorMs, ceiling], the ceiling growing with age for long actions.
 */
export function pollInterval(action: Pick<Action, 'progress'>, ageMs: number, policy: PollPolicy): number {
  const age = Math.max(0, ageMs);
  const ceiling = Math.min(policy.maxCeilingMs, Math.max(policy.ceilingMs, age * policy.longActionRatio));
  const p = action.progress;
  let wanted: number;
  if (p >= 100)
    wanted = policy.floorMs; // done but not yet marked so: the finish is imminent
  else if (p > 0) wanted = (age * (100 - p)) / p;
  else wanted = Math.max(policy.firstIntervalMs, age * policy.noProgressRatio);
  return Math.round(Math.min(ceiling, Math.max(policy.floorMs, wanted)));
}

export interface ActionWaiterOptions {
  /** The current state of these actions; the waiter calls it once per tick with every pending id. */
  fetchActions: (ids: number[]) => Promise<Action[]>;
  now?: Now;
  sleep?: Sleep;
  policy?: Partial<PollPolicy>;
}

export interface WaitOptions {
  timeoutMs?: number;
}

/** One caller's `waitFor`. */
interface Wait {
  ids: number[];
  results: Map<number, Action>;
  remaining: Set<number>;
  deadline: number;
  timeoutMs: number;
  resolve: (actions: Action[]) => void;
  reject: (error: unknown) => void;
}

/** A running action someone waits for. */
interface Tracked {
  action: Action;
  /** Local time it was first handed to the waiter: its age when the server's `started` is unusable. */
  firstSeenAt: number;
  /** Its progress then: with a later sample this gives the rate at which it advances. */
  firstProgress: number;
  dueAt: number;
  misses: number;
  waits: Set<Wait>;
}

/**
 * Waits for many actions with few requests. Every task of a run calls `waitFor` on the client's one
 * waiter; a single loop then looks at all running actions together — one `GET /actions?id=…` per
 * 25 ids per tick — and settles each caller when its actions are done. The tick is set by the
 * action due soonest (see `pollInterval`); a newcomer due sooner cuts the current sleep short.
 */
export class ActionWaiter {
  readonly policy: PollPolicy;
  private readonly fetchActions: (ids: number[]) => Promise<Action[]>;
  private readonly now: Now;
  private readonly sleep: Sleep;
  private readonly tracked = new Map<number, Tracked>();
  private readonly waits = new Set<Wait>();
  private looping = false;
  private wake: { at: number; controller: AbortController } | undefined;

  constructor(options: ActionWaiterOptions) {
    this.fetchActions = options.fetchActions;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? realSleep;
    this.policy = { ...defaultPollPolicy, ...options.policy };
  }

  /**
   * Resolves with the actions' final states (in the given order) once all succeeded; rejects with an
   * HcloudError carrying the action's error code, message and command as soon as one fails, or with
   * action_timeout. Pass `[action, ...next_actions]` (see `actionsOf`).
   */
  waitFor(actions: Action | readonly Action[], options: WaitOptions = {}): Promise<Action[]> {
    const list: readonly Action[] = Array.isArray(actions) ? (actions as readonly Action[]) : [actions as Action];
    const failed = list.find((a) => a.status === 'error');
    if (failed) return Promise.reject(actionFailed(failed));
    const now = this.now();
    return new Promise<Action[]>((resolve, reject) => {
      const results = new Map<number, Action>();
      const running = new Map<number, Action>();
      for (const action of list) (action.status === 'success' ? results : running).set(action.id, action);
      for (const id of results.keys()) running.delete(id);
      const ids = list.map((a) => a.id);
      if (running.size === 0) return resolve(ids.map((id) => results.get(id)!));

      const timeoutMs = options.timeoutMs ?? this.policy.timeoutMs;
      const wait: Wait = {
        ids,
        results,
        remaining: new Set(running.keys()),
        deadline: now + timeoutMs,
        timeoutMs,
        resolve,
        reject,
      };
      this.waits.add(wait);
      for (const [id, action] of running) {
        let tracked = this.tracked.get(id);
        if (!tracked) {
          tracked = { action, firstSeenAt: now, firstProgress: action.progress, dueAt: 0, misses: 0, waits: new Set() };
          tracked.dueAt = now + pollInterval(action, this.age(tracked, now), this.policy);
          this.tracked.set(id, tracked);
        }
        tracked.waits.add(wait);
      }
      if (this.wake && this.nextWakeAt() < this.wake.at) this.wake.controller.abort();
      this.ensureLoop();
    });
  }

  /** Actions being watched right now. */
  get pendingCount(): number {
    return this.tracked.size;
  }

  private ensureLoop(): void {
    if (this.looping) return;
    this.looping = true;
    void this.loop().finally(() => {
      this.looping = false;
      // A wait registered while the last turn was finishing would otherwise sit unattended.
      if (this.tracked.size > 0) this.ensureLoop();
    });
  }

  private async loop(): Promise<void> {
    while (this.tracked.size > 0) {
      const wakeAt = this.nextWakeAt();
      const delay = wakeAt - this.now();
      if (delay > 0) {
        const controller = new AbortController();
        this.wake = { at: wakeAt, controller };
        const slept = await this.sleep(delay, controller.signal).then(
          () => !controller.signal.aborted,
          () => false,
        );
        this.wake = undefined;
        if (!slept) continue; // cut short for a newcomer: plan the tick again
      }
      // A finished sleep counts as having reached its wake time even if the clock disagrees (a
      // timer firing a hair early, or an instant test sleep): re-checking the clock would spin.
      const now = Math.max(this.now(), wakeAt);
      this.expire(now);
      if (this.tracked.size === 0) break;
      // Woken for a deadline, not for an action: no request needed.
      if (now < this.earliestDue()) continue;
      await this.poll();
    }
  }

  private nextWakeAt(): number {
    let at = this.earliestDue();
    for (const wait of this.waits) at = Math.min(at, wait.deadline);
    return at;
  }

  private earliestDue(): number {
    let at = Infinity;
    for (const tracked of this.tracked.values()) at = Math.min(at, tracked.dueAt);
    return at;
  }

  /**
   * The action's age as its progress sees it. Once progress has moved since we first saw it, the
   * rate we observed says how old an action at this progress is; that beats `started`, which
   * Hetzner gives to the whole second and so can be nearly a second off for a young action.
   * Before that: from the server's `started`, or from when we first saw it if that is later (clock skew).
   */
  private age(tracked: Tracked, now: number): number {
    const progressed = tracked.action.progress - tracked.firstProgress;
    const elapsed = now - tracked.firstSeenAt;
    if (progressed > 0 && elapsed > 0 && tracked.action.progress < 100)
      return (tracked.action.progress * elapsed) / progressed;
    const started = Date.parse(tracked.action.started);
    const local = now - tracked.firstSeenAt;
    return Number.isFinite(started) ? Math.max(now - started, local) : local;
  }

  private async poll(): Promise<void> {
    const ids = [...this.tracked.keys()];
    let answer: Action[];
    try {
      answer = await this.fetchActions(ids);
    } catch (error) {
      // The client already retried; whoever waits on these actions learns why the wait cannot go on.
      for (const id of ids) for (const wait of [...(this.tracked.get(id)?.waits ?? [])]) this.fail(wait, error);
      return;
    }
    const now = this.now();
    const byId = new Map(answer.map((a) => [a.id, a]));
    for (const id of ids) {
      const tracked = this.tracked.get(id);
      if (!tracked) continue; // its waits ended while the request was out
      const action = byId.get(id);
      if (!action) {
        tracked.misses += 1;
        if (tracked.misses >= this.policy.maxMisses) {
          const gone = actionGone(tracked.action, tracked.misses);
          for (const wait of [...tracked.waits]) this.fail(wait, gone);
        } else tracked.dueAt = now + pollInterval(tracked.action, this.age(tracked, now), this.policy);
        continue;
      }
      tracked.action = action;
      tracked.misses = 0;
      if (action.status === 'success') this.succeed(id, action);
      else if (action.status === 'error') for (const wait of [...tracked.waits]) this.fail(wait, actionFailed(action));
      else tracked.dueAt = now + pollInterval(action, this.age(tracked, now), this.policy);
    }
  }

  private succeed(id: number, action: Action): void {
    const tracked = this.tracked.get(id);
    this.tracked.delete(id);
    for (const wait of tracked?.waits ?? []) {
      wait.results.set(id, action);
      wait.remaining.delete(id);
      if (wait.remaining.size === 0) {
        this.waits.delete(wait);
        wait.resolve(wait.ids.map((i) => wait.results.get(i)!));
      }
    }
  }

  private expire(now: number): void {
    for (const wait of [...this.waits]) {
      if (wait.deadline > now) continue;
      const still = [...wait.remaining].map((id) => this.tracked.get(id)?.action).filter((a): a is Action => !!a);
      this.fail(
        wait,
        new HcloudError({
          code: 'action_timeout',
          apiMessage: `still running after ${Math.round(wait.timeoutMs / 1000)} s`,
          method: 'GET',
          path: '/actions',
          actions: still.map((a) => ({ id: a.id, command: a.command })),
        }),
      );
    }
  }

  /** Ends one wait with an error and stops watching actions nobody else waits for. */
  private fail(wait: Wait, error: unknown): void {
    if (!this.waits.delete(wait)) return;
    for (const id of wait.remaining) {
      const tracked = this.tracked.get(id);
      tracked?.waits.delete(wait);
      if (tracked && tracked.waits.size === 0) this.tracked.delete(id);
    }
    wait.reject(error);
  }
}

function actionFailed(action: Action): HcloudError {
  return new HcloudError({
    code: action.error?.code ?? 'action_failed',
    apiMessage: action.error?.message ?? 'the action ended in error',
    method: 'GET',
    path: `/actions/${action.id}`,
    actions: [{ id: action.id, command: action.command }],
  });
}

function actionGone(action: Action, misses: number): HcloudError {
  return new HcloudError({
    status: 404,
    code: 'not_found',
    apiMessage: `action ${action.id} (${action.command}) was missing from ${misses} answers in a row`,
    method: 'GET',
    path: `/actions?id=${action.id}`,
    actions: [{ id: action.id, command: action.command }],
  });
}
