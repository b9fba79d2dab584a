import { describe, expect, it } from 'vitest';
import type { State, Vars, VaultSession } from '@personal-cloud/vault';
import { StateRecorder } from '../src/state/state-recorder';

/**
 * A session that writes to memory and counts writes. While `hold()` is in force, a write that has
 * begun waits for `release()`: the test decides what queues up meanwhile, with no timing involved.
 */
function memorySession() {
  const docs: { state: State; vars: Vars } = { state: { version: 1, layers: {} }, vars: {} };
  const writes: string[] = [];
  let gate: Promise<void> | undefined;
  let open = () => {};
  let started = () => {};
  const session = {
    read: async (doc: 'state' | 'vars') => structuredClone(docs[doc]),
    writeAll: async (values: { state: State; vars: Vars }, message: string) => {
      started();
      if (gate) await gate;
      Object.assign(docs, structuredClone(values));
      writes.push(message);
    },
  } as unknown as VaultSession;
  return {
    session,
    docs,
    writes,
    /** Holds the next writes; resolves once one of them has begun. */
    hold: () => {
      gate = new Promise<void>((resolve) => (open = resolve));
      return new Promise<void>((resolve) => (started = resolve));
    },
    release: () => {
      gate = undefined;
      open();
    },
  };
}

const add = (key: string) => (current: { state: State; vars: Vars }) => ({ ...current, vars: { ...current.vars, [key]: 'x' } });

describe('state recorder', () => {
  it('batches what queues up during a write into the next write, and loses nothing', async () => {
    const { session, docs, writes, hold, release } = memorySession();
    const recorder = new StateRecorder(session);
    const firstWriteBegun = hold();
    recorder.record('a', add('A'));
    await firstWriteBegun;
    // The write of 'a' is under way: these three queue up behind it and go in one write.
    recorder.record('b', add('B'));
    recorder.record('c', add('C'));
    recorder.record('d', add('D'));
    release();
    await recorder.flush();
    expect(Object.keys(docs.vars).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(writes).toEqual(['a', 'b (+2 more)\n\n- b\n- c\n- d']);
  });

  it('writes a record made just as a drain ends', async () => {
    const { session, docs } = memorySession();
    const recorder = new StateRecorder(session);
    recorder.record('a', add('A'));
    // Land a record in every microtask around the end of the first drain.
    for (let i = 0; i < 20; i++) {
      await Promise.resolve();
      recorder.record(`n${i}`, add(`N${i}`));
    }
    await recorder.flush();
    expect(Object.keys(docs.vars)).toHaveLength(21);
  });

  it('rethrows a failed write at flush, and refuses new records after it', async () => {
    const session = { read: async () => ({}), writeAll: async () => { throw new Error('disk full'); } } as unknown as VaultSession;
    const recorder = new StateRecorder(session);
    recorder.record('a', add('A'));
    await expect(recorder.flush()).rejects.toThrow('disk full');
    expect(() => recorder.record('b', add('B'))).toThrow('disk full');
  });
});
