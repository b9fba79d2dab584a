import { describe, expect, it } from 'vitest';
import type { State, Vars, VaultSession } from '@personal-cloud/vault';
import { InfraBook } from '../src/state/infra-book';
import { StateRecorder, commitMessageFor } from '@personal-cloud/layer-kit';

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

const note = (verb: string) => ({ layer: 'test', verb });
const add = (key: string) => (current: { state: State; vars: Vars }) => ({
  ...current,
  vars: { ...current.vars, [key]: 'x' },
});

describe('state recorder', () => {
  it('batches what queues up during a write into the next write, and loses nothing', async () => {
    const { session, docs, writes, hold, release } = memorySession();
    const recorder = new StateRecorder(session);
    const firstWriteBegun = hold();
    recorder.record(note('a'), add('A'));
    await firstWriteBegun;
    // The write of 'a' is under way: these three queue up behind it and go in one write.
    recorder.record(note('b'), add('B'));
    recorder.record(note('c'), add('C'));
    recorder.record(note('d'), add('D'));
    release();
    await recorder.flush();
    expect(Object.keys(docs.vars).sort()).toEqual(['A', 'B', 'C', 'D']);
    expect(writes).toEqual([commitMessageFor([note('a')]), commitMessageFor([note('b'), note('c'), note('d')])]);
  });

  it('writes a record made just as a drain ends', async () => {
    const { session, docs } = memorySession();
    const recorder = new StateRecorder(session);
    recorder.record(note('a'), add('A'));
    // Land a record in every microtask around the end of the first drain.
    for (let i = 0; i < 20; i++) {
      await Promise.resolve();
      recorder.record(note(`n${i}`), add(`N${i}`));
    }
    await recorder.flush();
    expect(Object.keys(docs.vars)).toHaveLength(21);
  });

  it('rethrows a failed write at flush, and refuses new records after it', async () => {
    const session = {
      read: async () => ({}),
      writeAll: async () => {
        throw new Error('disk full');
      },
    } as unknown as VaultSession;
    const recorder = new StateRecorder(session);
    recorder.record(note('a'), add('A'));
    await expect(recorder.flush()).rejects.toThrow('disk full');
    expect(() => recorder.record(note('b'), add('B'))).toThrow('disk full');
  });
});

// Issue 11, defect 12: the secrets repo's commit messages are plaintext, so they count kinds and name nothing.
describe('commit messages of recorded changes', () => {
  it('count what changed by kind, without names or IDs', async () => {
    const { session, writes } = memorySession();
    const recorder = new StateRecorder(session);
    const book = new InfraBook(recorder, [], []);
    for (const [index, name] of ['worker-1', 'worker-2', 'master-1'].entries())
      book.settled('server', name, { id: 424240 + index, publicIpv4: '203.0.113.9' });
    book.removed('network', 'pc-private');
    book.settled('ssh_key', 'pc-operator', { id: 777001 });
    await recorder.flush();
    const messages = writes.join('\n');
    expect(messages).not.toMatch(/worker|master|pc-|4242|777001|203\.0\.113/);
    expect(
      writes.every((message) =>
        /^infra: \d+ [\w ]+? (recorded|deleted)(, \d+ [\w ]+? (recorded|deleted))*$/.test(message),
      ),
    ).toBe(true);
  });

  it('say each kind once with its count, plural where it is more than one', () => {
    const server = { layer: 'infra', kind: 'server', verb: 'recorded' };
    expect(commitMessageFor([server, server, { layer: 'infra', kind: 'SSH key', verb: 'deleted' }, server])).toBe(
      'infra: 3 servers recorded, 1 SSH key deleted',
    );
    expect(commitMessageFor([{ layer: 'infra', verb: 'state matches the cloud' }])).toBe(
      'infra: state matches the cloud',
    );
  });
});
