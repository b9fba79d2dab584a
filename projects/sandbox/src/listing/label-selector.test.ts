import { describe, expect, it } from 'vitest';
import { LabelSelectorError, matchesSelector, parseLabelSelector } from './label-selector';

const match = (selector: string, labels: Record<string, string>) =>
  matchesSelector(labels, parseLabelSelector(selector));

describe('label selector', () => {
  const worker = { role: 'worker', env: 'prod', 'example.com/tier': 'hot' };
  const master = { role: 'master', env: 'staging' };

  it('parses every form Hetzner documents', () => {
    expect(parseLabelSelector('k=v')).toEqual([{ op: 'equals', key: 'k', value: 'v' }]);
    expect(parseLabelSelector('k==v')).toEqual([{ op: 'equals', key: 'k', value: 'v' }]);
    expect(parseLabelSelector('k!=v')).toEqual([{ op: 'differs', key: 'k', value: 'v' }]);
    expect(parseLabelSelector('k')).toEqual([{ op: 'exists', key: 'k' }]);
    expect(parseLabelSelector('!k')).toEqual([{ op: 'absent', key: 'k' }]);
    expect(parseLabelSelector('k in (a,b)')).toEqual([{ op: 'in', key: 'k', values: ['a', 'b'] }]);
    expect(parseLabelSelector('k notin (a, b)')).toEqual([{ op: 'notin', key: 'k', values: ['a', 'b'] }]);
    expect(parseLabelSelector(' k1 == v , !k2 ')).toEqual([
      { op: 'equals', key: 'k1', value: 'v' },
      { op: 'absent', key: 'k2' },
    ]);
    expect(parseLabelSelector('')).toEqual([]);
  });

  it('keeps commas inside parentheses apart from the commas between requirements', () => {
    expect(parseLabelSelector('env in (prod,staging),role!=master,!gpu')).toHaveLength(3);
  });

  it('matches equality, inequality, presence and absence', () => {
    expect(match('role=worker', worker)).toBe(true);
    expect(match('role==worker', master)).toBe(false);
    expect(match('role!=master', worker)).toBe(true);
    expect(match('role!=master', {})).toBe(true);
    expect(match('role', master)).toBe(true);
    expect(match('role', {})).toBe(false);
    expect(match('!role', {})).toBe(true);
    expect(match('!role', worker)).toBe(false);
    expect(match('example.com/tier=hot', worker)).toBe(true);
  });

  it('matches set membership', () => {
    expect(match('env in (prod,staging)', worker)).toBe(true);
    expect(match('env in (dev)', worker)).toBe(false);
    expect(match('env in (dev)', {})).toBe(false);
    expect(match('env notin (staging,dev)', worker)).toBe(true);
    expect(match('env notin (staging)', master)).toBe(false);
    expect(match('env notin (staging)', {})).toBe(true);
  });

  it('treats commas as AND', () => {
    expect(match('role=worker,env=prod', worker)).toBe(true);
    expect(match('role=worker,env=staging', worker)).toBe(false);
    expect(match('role,!gpu,env in (prod)', worker)).toBe(true);
  });

  it('allows an empty value only with = and ==', () => {
    expect(match('k=', { k: '' })).toBe(true);
    expect(match('k=', { k: 'x' })).toBe(false);
  });

  it.each([
    ['a,,b', 'expected a label key'],
    [',a', 'expected a label key'],
    ['a,', 'expected a label key'],
    ['k in (a,b', 'expected ","'],
    ['k in a,b', 'expected "("'],
    ['k in ()', 'expected a value'],
    ['k notin (a,)', 'expected a value'],
    ['k => v', 'expected ","'],
    ['k ~ v', 'expected an operator'],
    ['k v', 'unknown operator "v"'],
    ['!k=v', 'expected ","'],
    ['-k=v', 'label key'],
    ['k=v-', 'label value'],
    ['hetzner.cloud/x=1', 'reserved'],
    [`${'a'.repeat(64)}=v`, 'label key'],
    ['k=a b', 'expected ","'],
  ])('rejects %j', (selector, problem) => {
    expect(() => parseLabelSelector(selector)).toThrow(LabelSelectorError);
    expect(() => parseLabelSelector(selector)).toThrow(problem);
  });
});
