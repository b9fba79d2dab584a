// A run asks Oxygen once until a step changes it: the no-op provision makes one read-only step.
import { describe, expect, it } from 'vitest';
import type { OxygenExecutor, OxygenProbe, OxygenTarget } from '../src/provision/oxygen-executor';
import { probingOncePerChange } from '../src/provision/probe-once';

const target: OxygenTarget = { name: 'oxygen', sshAddress: 'oxygen', tailscaleIp: '100.64.0.7' };

function counting() {
  const calls: string[] = [];
  let generation = 'a';
  let failNext = false;
  const executor = {
    kind: 'test',
    async probe() {
      calls.push('probe');
      if (failNext) {
        failNext = false;
        throw new Error('no answer');
      }
      return { generation } as OxygenProbe;
    },
    async generation() {
      calls.push('generation');
      return generation;
    },
    async deploy() {
      calls.push('deploy');
      generation = 'b';
    },
    async checkCache() {
      return [];
    },
    async teardown() {},
    async handover() {
      calls.push('handover');
    },
    async close() {},
  } as unknown as OxygenExecutor;
  return { calls, executor, failOnce: () => (failNext = true) };
}

describe('probingOncePerChange', () => {
  it('answers the generation and every later probe from one probe while nothing changes', async () => {
    const { calls, executor } = counting();
    const once = probingOncePerChange(executor);
    await once.probe(target);
    expect(await once.generation(target)).toBe('a');
    await once.probe(target);
    expect(calls).toEqual(['probe']);
  });

  it('asks again after a step that changes Oxygen, and after a probe that failed', async () => {
    const { calls, executor, failOnce } = counting();
    const once = probingOncePerChange(executor);
    await once.probe(target);
    await once.deploy(target, {} as never);
    expect((await once.probe(target)).generation).toBe('b');
    await once.handover(target, {} as never);
    failOnce();
    await expect(once.probe(target)).rejects.toThrow('no answer');
    await once.probe(target);
    expect(calls).toEqual(['probe', 'deploy', 'probe', 'handover', 'probe', 'probe']);
  });

  it('reads only the generation when nothing was probed yet', async () => {
    const { calls, executor } = counting();
    expect(await probingOncePerChange(executor).generation(target)).toBe('a');
    expect(calls).toEqual(['generation']);
  });
});
