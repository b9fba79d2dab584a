import { describe, expect, it } from 'vitest';
import { isAlive, watchedParent } from '../src/interruption';

describe('watchedParent', () => {
  it('watches nx’s root process when Nx started the target, else the parent', () => {
    expect(watchedParent({ NX_INVOCATION_ROOT_PID: '4242' }, 100, 99)).toBe(4242);
    expect(watchedParent({}, 100, 99)).toBe(99);
    expect(watchedParent({ NX_INVOCATION_ROOT_PID: 'x' }, 100, 99)).toBe(99);
  });

  it('watches nothing when that would be itself or init (already orphaned, or run by hand under init)', () => {
    expect(watchedParent({ NX_INVOCATION_ROOT_PID: '100' }, 100, 99)).toBeUndefined();
    expect(watchedParent({}, 100, 1)).toBeUndefined();
  });
});

describe('isAlive', () => {
  it('tells a live process from one that is gone', () => {
    expect(isAlive(process.pid)).toBe(true);
    // Pids stay below /proc/sys/kernel/pid_max, at most 2^22.
    expect(isAlive(2 ** 22 + 1)).toBe(false);
  });
});
