import { describe, expect, it } from 'vitest';
import { runDag, type DagTask } from '../src/run-dag';

describe('runDag', () => {
  it('runs independent tasks in parallel, up to the bound, and dependents after', async () => {
    let running = 0;
    let peak = 0;
    const started: string[] = [];
    const order: string[] = [];
    // Every task holds until the test lets go, which it does once the bound is reached.
    let letGo!: () => void;
    const held = new Promise<void>((resolve) => (letGo = resolve));
    let bound!: () => void;
    const atBound = new Promise<void>((resolve) => (bound = resolve));
    const task = (key: string, after: string[] = []): DagTask => ({
      key,
      after,
      async run() {
        started.push(key);
        running += 1;
        peak = Math.max(peak, running);
        if (running === 3) bound();
        await held;
        order.push(key);
        running -= 1;
      },
    });
    const tasks = [task('a'), task('b'), task('c'), task('d'), task('e', ['a', 'b'])];
    const run = runDag(tasks, 3);
    await atBound;
    expect(started).toEqual(['a', 'b', 'c']);
    letGo();
    const outcomes = await run;
    expect(outcomes.every((o) => o.status === 'done')).toBe(true);
    expect(peak).toBe(3);
    expect(order.indexOf('e')).toBeGreaterThan(Math.max(order.indexOf('a'), order.indexOf('b')));
  });

  it('skips what depends on a failure and keeps going elsewhere', async () => {
    const outcomes = await runDag(
      [
        {
          key: 'a',
          after: [],
          run: async () => {
            throw new Error('boom');
          },
        },
        { key: 'b', after: ['a'], run: async () => {} },
        { key: 'c', after: [], run: async () => {} },
      ],
      2,
    );
    expect(outcomes.map((o) => o.status)).toEqual(['failed', 'skipped', 'done']);
  });

  it('skips a whole chain behind a failure, whatever order the tasks come in', async () => {
    // A hang here ends in the test's timeout.
    const outcomes = await runDag(
      [
        { key: 'c', after: ['b'], run: async () => {} },
        { key: 'b', after: ['a'], run: async () => {} },
        {
          key: 'a',
          after: [],
          run: async () => {
            throw new Error('503');
          },
        },
      ],
      4,
    );
    expect(outcomes.map((o) => o.status)).toEqual(['skipped', 'skipped', 'failed']);
  });

  it('starts nothing new after a fatal failure', async () => {
    const started: string[] = [];
    const outcomes = await runDag(
      [
        {
          key: 'fatal',
          after: [],
          run: async () => {
            throw new Error('403');
          },
        },
        ...['x', 'y', 'z'].map((key) => ({ key, after: [], run: async () => void started.push(key) })),
      ],
      1,
      () => true,
    );
    expect(started).toEqual([]);
    expect(outcomes.filter((o) => o.status === 'skipped')).toHaveLength(3);
  });

  it('refuses a cycle before running anything', async () => {
    await expect(
      runDag(
        [
          { key: 'a', after: ['b'], run: async () => {} },
          { key: 'b', after: ['a'], run: async () => {} },
        ],
        2,
      ),
    ).rejects.toThrow(/wait on each other in a circle \(a → b → a\)/);
  });
});
