// builder:status's lines: green for what is right, one red line for each thing that is wrong.
import { describe, expect, it } from 'vitest';
import type { OxygenProbe } from '../src/provision/oxygen-executor';
import { builderStatus, type StatusInput } from '../src/status/builder-status';

const healthy: OxygenProbe = {
  generation: 'a'.repeat(32),
  container: { running: true },
  runsAs: 'unit',
  nixVersion: 'nix (Nix) 2.24.9',
  nixFreeBytes: 200 * 1024 ** 3,
  k3s: { role: 'agent', ready: true, labels: {}, taints: ['personal-cloud/builder=true:NoSchedule'] },
  lastPushAgeSeconds: 600,
};
const input = (change: Partial<StatusInput>): StatusInput => ({
  name: 'oxygen',
  probe: healthy,
  cache: { url: 'https://cache.example.org/pc', reachable: true },
  lastPushAgeSeconds: 600,
  wantedGeneration: 'a'.repeat(32),
  ...change,
});
const red = (lines: { ok: boolean; text: string }[]) => lines.filter((l) => !l.ok).map((l) => l.text);

describe('builder:status', () => {
  it('all green when Oxygen answers, runs the rendered generation, has room, is Ready, and the cache answers', () => {
    const lines = builderStatus(input({}));
    expect(red(lines)).toEqual([]);
    expect(lines.map((l) => l.text)).toEqual([
      'oxygen answers over SSH; the builder runs nix (Nix) 2.24.9',
      'oxygen runs the rendered generation aaaaaaaaaaaa',
      "free space on oxygen's /nix: 200.0 GiB",
      'node oxygen is Ready (agent, taints personal-cloud/builder=true:NoSchedule)',
      'the cache https://cache.example.org/pc answers',
      'the last push was 10 minute(s) ago',
    ]);
  });

  it('a red line for each thing wrong', () => {
    const lines = builderStatus(
      input({
        probe: { ...healthy, generation: 'b'.repeat(32), nixFreeBytes: 5 * 1024 ** 3, k3s: null },
        cache: { url: 'https://cache.example.org/pc', reachable: false, reason: 'ENOTFOUND' },
        lastPushAgeSeconds: null,
      }),
    );
    expect(red(lines)).toEqual([
      'oxygen runs generation bbbbbbbbbbbb, not the rendered aaaaaaaaaaaa: run `npx nx run builder:provision`',
      "free space on oxygen's /nix: 5.0 GiB (under 20.0 GiB: run nix-collect-garbage in the builder)",
      'node oxygen is not Ready: no k3s agent runs',
      'the cache https://cache.example.org/pc does not answer: ENOTFOUND',
      'age of the last push: unknown; nothing says the push loop (personal-cloud-builder-push.service) has uploaded a path',
    ]);
  });

  it('in the sandbox world the cache is its model: a green line, never a DNS lookup of the made-up host', () => {
    const lines = builderStatus(input({ cache: { url: 'https://cache.example.org/pc', reachable: 'modelled' } }));
    expect(red(lines)).toEqual([]);
    expect(lines.map((l) => l.text)).toContain(
      "the cache https://cache.example.org/pc is the sandbox's model: not asked over the network (provision's cache check goes through the model)",
    );
  });

  it('a desktop that does not answer is red, and the cache is still asked', () => {
    expect(
      red(builderStatus(input({ probe: { unreachable: 'oxygen does not answer at oxygen (timed out).' } }))),
    ).toEqual(['oxygen does not answer over SSH: oxygen does not answer at oxygen (timed out).']);
  });
});
