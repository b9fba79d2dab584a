import { describe, expect, it } from 'vitest';
import { ControllableClock } from './controllable-clock';

describe('the controllable clock', () => {
  it('skips a sleep: the clock moves on by its length, not the wall', async () => {
    const clock = new ControllableClock();
    const wallBefore = Date.now();
    const before = clock.now();
    await clock.sleep(60_000);
    expect(clock.now() - before).toBeGreaterThanOrEqual(60_000);
    expect(clock.skippedMs).toBeGreaterThanOrEqual(60_000 - (Date.now() - wallBefore));
  });

  it('wakes sleepers due in the same turn in the order of their wake times', async () => {
    const clock = new ControllableClock();
    const woke: string[] = [];
    await Promise.all([
      clock.sleep(300).then(() => woke.push('300')),
      clock.sleep(100).then(() => woke.push('100')),
      clock.sleep(200).then(() => woke.push('200')),
    ]);
    expect(woke).toEqual(['100', '200', '300']);
  });

  it('stands still while paused, holds sleepers until resumed, and goes on from where it stood', async () => {
    const clock = new ControllableClock();
    clock.pause();
    const stopped = clock.now();
    let woke = false;
    const sleeping = clock.sleep(10).then(() => (woke = true));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(woke).toBe(false);
    expect(clock.now()).toBe(stopped);
    clock.advance(5_000);
    expect(clock.now()).toBe(stopped + 5_000);
    clock.resume();
    await sleeping;
    expect(clock.now()).toBeGreaterThanOrEqual(stopped + 5_000);
  });

  it('ends an aborted sleep without moving the clock', async () => {
    const clock = new ControllableClock();
    const controller = new AbortController();
    const before = clock.now();
    const sleeping = clock.sleep(3_600_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(clock.now() - before).toBeLessThan(3_600_000);
  });
});
