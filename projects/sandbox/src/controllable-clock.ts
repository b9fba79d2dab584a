// A clock for tests and benchmarks that a sandbox and a client can share: the sandbox's `clock`,
// the client's `now` and `sleep`. Sleeps skip ahead instead of waiting, so a run's action waits,
// backoffs and rate-limit pauses cost no wall time; and a test can stop time (actions then never
// finish) until it has seen what it waits for. Everything real (HTTP, the vault, the CPU) still
// takes its real time, which the clock includes, so it never runs backwards.
import { setImmediate as nextTurn } from 'node:timers/promises';

interface Sleeper {
  at: number;
  seq: number;
  wake: () => void;
}

export class ControllableClock {
  /** How far the clock is ahead of real time, in ms. */
  private lead = 0;
  /** The time it stands at while paused. */
  private pausedAt: number | undefined;
  private sleepers: Sleeper[] = [];
  private seq = 0;
  private flushing = false;

  /** Milliseconds since the epoch, as for `Date.now`. */
  readonly now = (): number => this.pausedAt ?? Date.now() + this.lead;

  /**
   * Resolves on the next turn of the event loop with the clock at (at least) `now() + ms`. Sleepers
   * due in the same turn wake in the order of their wake times, as real timers would. An aborted
   * sleep ends at once without moving the clock. While paused, sleepers wait for `resume`.
   */
  readonly sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise<void>((resolve) => {
      const sleeper: Sleeper = { at: this.now() + Math.max(0, ms), seq: this.seq++, wake: resolve };
      this.sleepers.push(sleeper);
      signal?.addEventListener('abort', () => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      });
      this.wakeSleepers();
    });

  /** Moves the clock on by `ms` at once (e.g. past the end of every running action). */
  advance(ms: number): void {
    if (this.pausedAt !== undefined) this.pausedAt += ms;
    else this.lead += ms;
  }

  /** Stops time: running actions stay running until `resume`. */
  pause(): void {
    this.pausedAt ??= this.now();
  }

  /** Lets time run again from where it stood. */
  resume(): void {
    if (this.pausedAt === undefined) return;
    this.lead = this.pausedAt - Date.now();
    this.pausedAt = undefined;
    this.wakeSleepers();
  }

  /** The wall time skipped so far (negative after a pause), in ms. */
  get skippedMs(): number {
    return this.now() - Date.now();
  }

  private wakeSleepers(): void {
    if (!this.flushing && this.pausedAt === undefined) void this.flush();
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    try {
      while (this.sleepers.length && this.pausedAt === undefined) {
        await nextTurn();
        if (this.pausedAt !== undefined) break;
        const due = this.sleepers.splice(0).sort((a, b) => a.at - b.at || a.seq - b.seq);
        for (const sleeper of due) {
          this.lead = Math.max(this.lead, sleeper.at - Date.now());
          sleeper.wake();
        }
      }
    } finally {
      this.flushing = false;
    }
  }
}
