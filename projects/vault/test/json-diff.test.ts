import { describe, expect, it } from 'vitest';
import { diffJson, formatJsonDiff } from '../src/operator/json-diff';

describe('diffJson', () => {
  it('finds the leaf-most changes, by field path, keys sorted', () => {
    const before = { CLUSTER: { MASTER_1: { ip: '10.0.1.11', hetzner_id: '42' }, OLD: { ip: 'x' } }, list: [1, 2, 3] };
    const after = { CLUSTER: { MASTER_1: { ip: '10.0.1.12', hetzner_id: '42' }, NEW: { ip: 'y' } }, list: [1, 5] };
    expect(diffJson(before, after)).toEqual([
      { kind: 'changed', path: ['CLUSTER', 'MASTER_1', 'ip'], before: '10.0.1.11', after: '10.0.1.12' },
      { kind: 'added', path: ['CLUSTER', 'NEW'], after: { ip: 'y' } },
      { kind: 'removed', path: ['CLUSTER', 'OLD'], before: { ip: 'x' } },
      { kind: 'changed', path: ['list', 1], before: 2, after: 5 },
      { kind: 'removed', path: ['list', 2], before: 3 },
    ]);
  });

  it('reports nothing for equal values, whatever the key order', () => {
    expect(diffJson({ a: 1, b: { c: [true] } }, { b: { c: [true] }, a: 1 })).toEqual([]);
  });

  it('treats a change of type as one change', () => {
    expect(diffJson({ a: { b: 1 } }, { a: 'flat' })).toEqual([
      { kind: 'changed', path: ['a'], before: { b: 1 }, after: 'flat' },
    ]);
  });
});

describe('formatJsonDiff', () => {
  it('prints one line a change', () => {
    const text = formatJsonDiff(diffJson({ a: { ip: '1' }, gone: 1 }, { a: { ip: '2' }, added: [1] }));
    expect(text).toBe(['~ a.ip: "1" → "2"', '+ added: [1]', '- gone: 1'].join('\n'));
  });
});
