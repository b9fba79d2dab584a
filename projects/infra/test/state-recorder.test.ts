import { describe, expect, it } from 'vitest';
import type { State, Vars, VaultSession } from '@personal-cloud/vault';
import { StateRecorder } from '../src/state/state-recorder';

/** A session that writes to memory, slowly, and counts writes. */
function memorySession(delayMs = 5) {
  const docs: { state: State; vars: Vars } = { state: { version: 1, layers: {} }, vars: {} };
  const writes: string[] = [];
  const session = {
    read: async (doc: 'state' | 'vars') => structuredClone(docs[doc]),
    writeAll: async (values: { state: State; vars: Vars }, message: string) => {
      await new Promise((r) => setTimeout(r, delayMs));
      Object.assign(docs, structuredClone(values));
      writes.push(message);
    },
  } as unknown as VaultSession;
  return { session, docs, writes };
}

const add = (key: string) => (current: { state: State; vars: Vars }) => ({ ...current, vars: { ...current.vars, [key]: 'x' } });

describe('state recorder', () => {
  it('batches what queues up during a write, and loses nothing', async () => {
    const { session, docs, writes } = memorySession();
    const recorder = new StateRecorder(session);
    recorder.record('a', add('A'));
    recorder.record('b', add('B'));
    await new Promise((r) => setTimeout(r, 1));
    recorder.record('c', add('C'));
    await recorder.flush();
    expect(Object.keys(docs.vars).sort()).toEqual(['A', 'B', 'C']);
    expect(writes.length).toBeLessThanOrEqual(3);
  });

  it('writes a record made just as a drain ends', async () => {
    const { session, docs } = memorySession(0);
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
