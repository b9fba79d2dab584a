import type { Sleep } from '../../../src/hcloud/clock';

/** 2026-01-01T00:00:00Z: fake time starts here so RFC 3339 timestamps in fixtures read naturally. */
export const EPOCH = Date.parse('2026-01-01T00:00:00Z');

/**
 * Virtual time for code that takes `now` and `sleep`. Sleeps wait on virtual timers; `run` settles
 * a promise by letting pending work finish, then jumping to the next timer, again and again. Only
 * for code whose other waits are in-process promises (no real I/O): then a schedule is exact.
 */
export class FakeClock {
  private time = EPOCH;
  private timers: Array<{ at: number; seq: number; fire: () => void }> = [];
  private seq = 0;
  /** Every sleep requested: [virtual time it started (ms since EPOCH), duration]. */
  readonly sleeps: Array<{ at: number; ms: number }> = [];

  readonly now = (): number => this.time;

  readonly sleep: Sleep = (ms, signal) =>
    new Promise<void>((resolve, reject) => {
      this.sleeps.push({ at: this.time - EPOCH, ms });
      const timer = { at: this.time + Math.max(0, ms), seq: this.seq++, fire: () => resolve() };
      this.timers.push(timer);
      signal?.addEventListener('abort', () => {
        this.timers = this.timers.filter((t) => t !== timer);
        reject(signal.reason);
      });
    });

  /** Milliseconds since EPOCH. */
  get elapsed(): number {
    return this.time - EPOCH;
  }

  /** Settles `promise` in virtual time; throws if it would wait forever. */
  async run<T>(promise: Promise<T>, maxSteps = 10_000): Promise<T> {
    let settled = false;
    promise.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (let step = 0; step < maxSteps; step++) {
      await drain();
      if (settled) return promise;
      this.timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = this.timers.shift();
      if (!next) throw new Error('FakeClock.run: the promise waits, but no timer is pending');
      this.time = Math.max(this.time, next.at);
      next.fire();
    }
    throw new Error(`FakeClock.run: not settled after ${maxSteps} timers`);
  }
}

/** Lets every queued promise callback run (a few macrotask turns, for chains that hop through I/O-free awaits). */
async function drain(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}
