import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ActionWaiter, defaultPollPolicy, pollInterval, type PollPolicy } from './action-waiter';
import { HcloudClient } from './client';
import { HcloudError } from './errors';
import type { Action } from './resources/actions';
import { EPOCH, FakeClock } from '../../test/support/hcloud/fake-clock';
import { FakeHetzner } from '../../test/support/hcloud/fake-hetzner';
import { action } from '../../test/support/hcloud/fixtures';

/**
 * Actions that run in virtual time: each starts when added, takes `duration` ms, and reports
 * linear progress (or 0 until done, like many Hetzner actions). `polls` records every fetch.
 */
class ActionWorld {
  readonly polls: Array<{ at: number; ids: number[] }> = [];
  private readonly specs = new Map<
    number,
    {
      startedAt: number;
      duration: number;
      command: string;
      progress: boolean;
      fail?: { code: string; message: string };
    }
  >();
  private nextId = 1;
  failFetch: Error | undefined;
  hidden = new Set<number>();

  constructor(private readonly clock: FakeClock) {}

  start(
    duration: number,
    options: { progress?: boolean; command?: string; fail?: { code: string; message: string } } = {},
  ): Action {
    const id = this.nextId++;
    this.specs.set(id, {
      startedAt: this.clock.now(),
      duration,
      command: options.command ?? 'create_server',
      progress: options.progress ?? true,
      fail: options.fail,
    });
    return this.state(id);
  }

  state(id: number): Action {
    const spec = this.specs.get(id)!;
    const elapsed = this.clock.now() - spec.startedAt;
    const done = elapsed >= spec.duration;
    const base = { id, command: spec.command, started: new Date(spec.startedAt).toISOString() };
    if (!done) return action({ ...base, progress: spec.progress ? Math.floor((100 * elapsed) / spec.duration) : 0 });
    const finished = new Date(spec.startedAt + spec.duration).toISOString();
    if (spec.fail) return action({ ...base, status: 'error', progress: 100, finished, error: spec.fail });
    return action({ ...base, status: 'success', progress: 100, finished });
  }

  readonly fetch = async (ids: number[]): Promise<Action[]> => {
    this.polls.push({ at: this.clock.elapsed, ids: [...ids] });
    if (this.failFetch) throw this.failFetch;
    return ids.filter((id) => !this.hidden.has(id)).map((id) => this.state(id));
  };

  get pollTimes(): number[] {
    return this.polls.map((p) => p.at);
  }
}

function setup(policy: Partial<PollPolicy> = {}) {
  const clock = new FakeClock();
  const world = new ActionWorld(clock);
  const waiter = new ActionWaiter({ fetchActions: world.fetch, now: clock.now, sleep: clock.sleep, policy });
  return { clock, world, waiter };
}

async function rejection(promise: Promise<unknown>): Promise<HcloudError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HcloudError);
  return error as HcloudError;
}

describe('pollInterval', () => {
  const p = defaultPollPolicy;

  it('aims at the estimated finish from progress: age × (100 − p) / p', () => {
    expect(pollInterval({ progress: 10 }, 100, p)).toBe(900);
    expect(pollInterval({ progress: 50 }, 400, p)).toBe(400);
    expect(pollInterval({ progress: 90 }, 900, p)).toBe(100);
  });

  it('clamps the estimate between the floor and the ceiling', () => {
    expect(pollInterval({ progress: 99 }, 500, p)).toBe(50);
    expect(pollInterval({ progress: 100 }, 500, p)).toBe(50);
    expect(pollInterval({ progress: 1 }, 500, p)).toBe(1_000);
  });

  it('backs off from a short first interval without progress, by a quarter of the age', () => {
    expect(pollInterval({ progress: 0 }, 0, p)).toBe(100);
    expect(pollInterval({ progress: 0 }, 400, p)).toBe(100);
    expect(pollInterval({ progress: 0 }, 2_000, p)).toBe(500);
    expect(pollInterval({ progress: 0 }, 4_000, p)).toBe(1_000);
  });

  it('lets the ceiling grow for long actions, up to 5 s', () => {
    expect(pollInterval({ progress: 0 }, 9_000, p)).toBe(1_000);
    expect(pollInterval({ progress: 0 }, 30_000, p)).toBe(3_000);
    expect(pollInterval({ progress: 0 }, 600_000, p)).toBe(5_000);
    expect(pollInterval({ progress: 2 }, 30_000, p)).toBe(3_000);
  });
});

describe('ActionWaiter timing (virtual clock)', () => {
  it('finds a 1 s action with progress done the moment it finishes, in 2 polls', async () => {
    const { clock, world, waiter } = setup();
    const done = await clock.run(waiter.waitFor(world.start(1_000)));
    expect(world.pollTimes).toEqual([100, 1_000]);
    expect(clock.elapsed).toBe(1_000);
    expect(done[0]).toMatchObject({ status: 'success', progress: 100 });
  });

  it('backs off for a 1 s action without progress, overshooting by less than a quarter', async () => {
    const { clock, world, waiter } = setup();
    await clock.run(waiter.waitFor(world.start(1_000, { progress: false })));
    expect(world.pollTimes).toEqual([100, 200, 300, 400, 500, 625, 781, 976, 1_220]);
    expect(clock.elapsed - 1_000).toBeLessThanOrEqual(0.25 * 1_000);
  });

  it('keeps a long action to few polls: within the growing ceiling, at most 5 s apart', async () => {
    const { clock, world, waiter } = setup();
    await clock.run(waiter.waitFor(world.start(120_000, { progress: false })));
    const times = [0, ...world.pollTimes];
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(Math.max(...gaps)).toBe(5_000);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(50);
    // ~16 looks in the first 4 s, 1 s apart until 10 s, then 10 % of the age, then every 5 s.
    expect(world.polls.length).toBeLessThanOrEqual(55);
    expect(clock.elapsed - 120_000).toBeLessThanOrEqual(5_000);
  });

  it('re-aims when progress is uneven', async () => {
    const { clock, world, waiter } = setup();
    // 2 s action: at 100 ms progress 5 % → eta 1.9 s, clamped to the 1 s ceiling; at 1.1 s 55 % → eta 900 ms.
    await clock.run(waiter.waitFor(world.start(2_000)));
    expect(world.pollTimes).toEqual([100, 1_100, 2_000]);
  });

  it('cuts a long sleep short when a newcomer is due sooner', async () => {
    const { clock, world, waiter } = setup();
    const slow = waiter.waitFor(world.start(10_000));
    // While the loop sleeps towards its 1 s ceiling, a 300 ms action arrives at t = 150.
    const fast = clock.sleep(150).then(() => waiter.waitFor(world.start(300)));
    await clock.run(fast);
    // The newcomer is looked at 100 ms after it arrived (t = 250), not at the sleeper's 1.1 s;
    // its integer progress (33 %) puts the estimate 3 ms late.
    expect(world.pollTimes).toEqual([100, 250, 453]);
    expect(clock.elapsed).toBe(453);
    await clock.run(slow);
    // Integer progress again: found within 1 % of its 10 s.
    expect(clock.elapsed).toBeGreaterThanOrEqual(10_000);
    expect(clock.elapsed).toBeLessThanOrEqual(10_100);
  });

  it('times a wait out exactly at its deadline and stops polling for it', async () => {
    const { clock, world, waiter } = setup();
    const error = await clock.run(
      rejection(waiter.waitFor(world.start(60_000, { command: 'resize_volume' }), { timeoutMs: 2_500 })),
    );
    expect(clock.elapsed).toBe(2_500);
    expect(error).toMatchObject({ code: 'action_timeout', actions: [{ id: 1, command: 'resize_volume' }] });
    expect(error.message).toContain('resize_volume (id 1) did not finish in time (still running after 3 s)');
    expect(waiter.pendingCount).toBe(0);
    expect(world.pollTimes.every((t) => t < 2_500)).toBe(true);
  });
});

describe('ActionWaiter batching and results', () => {
  it('polls every pending action of every caller in one fetch per tick', async () => {
    const { clock, world, waiter } = setup();
    const waits = Array.from({ length: 60 }, (_, i) => waiter.waitFor(world.start(1_000 + 100 * (i % 3))));
    const finished: number[] = [];
    waits.forEach((w, i) => void w.then(() => finished.push(i)));
    await clock.run(Promise.all(waits));
    // One fetch per tick for all callers, never one per caller. The 1.1 s and 1.2 s actions are
    // found 11 ms and 8 ms late: the API's progress is an integer (9 % stands for 9.09 %).
    expect(world.pollTimes).toEqual([100, 1_000, 1_111, 1_208]);
    expect(world.polls.map((p) => p.ids.length)).toEqual([60, 60, 40, 20]);
    expect(finished).toHaveLength(60);
  });

  it('watches an action awaited by two callers once', async () => {
    const { clock, world, waiter } = setup();
    const a = world.start(1_000);
    const [first, second] = await clock.run(Promise.all([waiter.waitFor(a), waiter.waitFor([a])]));
    expect(world.polls.map((p) => p.ids)).toEqual([[1], [1]]);
    expect(first).toEqual(second);
  });

  it('waits for [action, ...next_actions] and returns their final states in order', async () => {
    const { clock, world, waiter } = setup();
    const create = world.start(1_000, { command: 'create_server' });
    const start = world.start(1_500, { command: 'start_server' });
    const done = await clock.run(waiter.waitFor([create, start]));
    expect(done.map((a) => [a.id, a.command, a.status])).toEqual([
      [1, 'create_server', 'success'],
      [2, 'start_server', 'success'],
    ]);
    // start_server at 66 % (of 66.7) when create_server is done: its estimate lands 15 ms late.
    expect(clock.elapsed).toBe(1_515);
  });

  it('resolves finished actions without a request, and rejects a failed one at once', async () => {
    const { world, waiter } = setup();
    const ok = action({ id: 5, status: 'success', progress: 100 });
    await expect(waiter.waitFor([ok])).resolves.toEqual([ok]);
    await expect(waiter.waitFor([])).resolves.toEqual([]);
    const failed = action({ id: 6, status: 'error', error: { code: 'placement_error', message: 'no capacity' } });
    const error = await rejection(waiter.waitFor([ok, failed]));
    expect(error).toMatchObject({
      code: 'placement_error',
      apiMessage: 'no capacity',
      actions: [{ id: 6, command: 'create_server' }],
    });
    expect(world.polls).toEqual([]);
  });

  it('rejects the waiter of a failed action with its code, message and command, and no one else', async () => {
    const { clock, world, waiter } = setup();
    const failing = world.start(500, {
      command: 'attach_volume',
      fail: { code: 'volume_limit_exceeded', message: 'too many volumes' },
    });
    const other = world.start(1_000);
    const failed = rejection(waiter.waitFor([failing, other]));
    const bystander = waiter.waitFor(other);
    const error = await clock.run(failed);
    expect(error).toMatchObject({
      code: 'volume_limit_exceeded',
      apiMessage: 'too many volumes',
      actions: [{ id: 1, command: 'attach_volume' }],
    });
    expect(error.message).toBe(
      'the Hetzner action attach_volume (id 1) failed (volume_limit_exceeded: too many volumes): fix the cause and rerun, which resumes from what exists',
    );
    await expect(clock.run(bystander)).resolves.toHaveLength(1);
    expect(clock.elapsed).toBe(1_000);
  });

  it('rejects when the API stops knowing an action', async () => {
    const { clock, world, waiter } = setup();
    const a = world.start(10_000);
    world.hidden.add(a.id);
    const error = await clock.run(rejection(waiter.waitFor(a)));
    expect(error).toMatchObject({ status: 404, code: 'not_found' });
    expect(world.polls).toHaveLength(3);
  });

  it('passes a failed poll to the waiters', async () => {
    const { clock, world, waiter } = setup();
    world.failFetch = new HcloudError({
      status: 401,
      code: 'unauthorized',
      apiMessage: 'x',
      method: 'GET',
      path: '/actions',
    });
    const error = await clock.run(rejection(waiter.waitFor(world.start(1_000))));
    expect(error.code).toBe('unauthorized');
    expect(waiter.pendingCount).toBe(0);
  });

  it('keeps working after being idle', async () => {
    const { clock, world, waiter } = setup();
    await clock.run(waiter.waitFor(world.start(200)));
    await clock.run(clock.sleep(5_000));
    await clock.run(waiter.waitFor(world.start(200)));
    expect(world.pollTimes).toEqual([100, 200, 5_300, 5_400]);
  });
});

describe('ActionWaiter over HTTP', () => {
  let fake: FakeHetzner;
  beforeEach(async () => {
    fake = await FakeHetzner.start();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('sends one GET /actions per 25 pending ids per tick', async () => {
    // Actions 1–10 need two looks, the rest are done at the first.
    const looks = new Map<number, number>();
    fake.on('GET', '/actions', (req) => {
      const ids = req.query.getAll('id').map(Number);
      const actions = ids.map((id) => {
        const n = (looks.get(id) ?? 0) + 1;
        looks.set(id, n);
        const done = n >= (id <= 10 ? 2 : 1);
        return action({
          id,
          status: done ? 'success' : 'running',
          progress: done ? 100 : 50,
          finished: done ? '2026-01-01T00:00:01Z' : null,
        });
      });
      return { status: 200, body: { actions } };
    });
    const client = new HcloudClient({ endpoint: fake.url, token: 't'.repeat(64), sleep: async () => {} });
    const waits = Array.from({ length: 60 }, (_, i) =>
      client.waitForActions(action({ id: i + 1, started: new Date(EPOCH).toISOString() })),
    );
    const done = await Promise.all(waits);
    expect(done.flat().every((a) => a.status === 'success')).toBe(true);

    const batches = fake.calls('GET', '/actions').map((r) => r.query.getAll('id').map(Number));
    expect(batches.map((b) => b.length).sort((a, b) => b - a)).toEqual([25, 25, 10, 10]);
    expect(new Set(batches.slice(0, 3).flat()).size).toBe(60);
    expect(batches[3]).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(fake.calls('GET', '/actions')[0]?.rawQuery).toMatch(/^id=\d+(&id=\d+)*$/);
  });
});
