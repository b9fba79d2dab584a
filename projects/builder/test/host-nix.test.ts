// The builder's fields for every host's hosts.json (hostNix): the cache with the vault's key, Oxygen
// pinned by its host key through an ssh alias that carries the port, fallback on; with
// clusterFallback the workers too, for light builds. projects/hosts/test/builder-fields.test.ts
// shows what the hosts' render and their real NixOS module make of them.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodesInPhase } from '@personal-cloud/cluster';
import { hostNix } from '../src/hosts/host-nix';
import { readHostNix } from '../src/hosts/host-nix-file';
import { builderConfig, builderVars, CACHE_PUBLIC_KEY, HOST_PUBLIC_KEY } from './fixtures';

const config = builderConfig(4);
const nodes = nodesInPhase(config);
const vars = builderVars();
const OXYGEN = {
  hostName: 'oxygen-builder',
  protocol: 'ssh-ng',
  systems: ['x86_64-linux'],
  sshUser: 'nix-builder',
  sshKey: '/var/lib/personal-cloud/secrets/builder-client-key',
  maxJobs: 8,
  speedFactor: 4,
  supportedFeatures: ['big-parallel', 'kvm', 'nixos-test'],
  mandatoryFeatures: [],
  publicHostKey: Buffer.from(HOST_PUBLIC_KEY.split(' ').slice(0, 2).join(' ')).toString('base64'),
};

describe("the builder's fields for the hosts", () => {
  it("the cache with the vault's key, Oxygen with its pinned host key, and fallback", () => {
    expect(hostNix(config, nodes, vars)).toEqual({
      substituters: ['https://cache.example.org/pc'],
      trustedPublicKeys: [CACHE_PUBLIC_KEY],
      builders: [OXYGEN],
      distributedBuilds: true,
      buildersUseSubstitutes: true,
      fallback: true,
      sshAliases: [{ alias: 'oxygen-builder', hostName: 'oxygen', port: 2222 }],
    });
  });

  it('with clusterFallback lists the workers too, at speed 1, one job each, without big-parallel', () => {
    const fallback = builderConfig(4, (c) => {
      c.oxygen!.builder.clusterFallback = true;
    });
    const { builders } = hostNix(fallback, nodesInPhase(fallback), vars);
    const workers = nodesInPhase(fallback).filter((n) => n.role === 'worker');
    expect(builders.map((b) => b.hostName)).toEqual(['oxygen-builder', ...workers.map((w) => w.hetznerName)]);
    for (const worker of builders.slice(1))
      expect(worker).toMatchObject({ maxJobs: 1, speedFactor: 1, supportedFeatures: ['kvm', 'nixos-test'] });
  });

  it('before the key step has run, no cache and no builder; fallback stays on', () => {
    expect(hostNix(config, nodes, {})).toEqual({
      substituters: [],
      trustedPublicKeys: [],
      builders: [],
      distributedBuilds: false,
      buildersUseSubstitutes: false,
      fallback: true,
      sshAliases: [],
    });
  });
});

describe('host-nix.json, as builder:render writes it for hosts:render', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pc-host-nix-'));

  it('reads back what render wrote', async () => {
    const file = join(dir, 'host-nix.json');
    writeFileSync(file, JSON.stringify(hostNix(config, nodes, vars)));
    expect(await readHostNix(file)).toEqual(hostNix(config, nodes, vars));
  });

  it('names a missing or damaged file and the command that makes it', async () => {
    await expect(readHostNix(join(dir, 'absent.json'))).rejects.toThrow(
      `${join(dir, 'absent.json')} does not exist: \`npx nx run builder:render\` makes it.`,
    );
    writeFileSync(join(dir, 'bad.json'), '{"substituters": "none"}');
    await expect(readHostNix(join(dir, 'bad.json'))).rejects.toThrow(
      `${join(dir, 'bad.json')} is not the hosts' Nix fields that builder:render writes: \`npx nx run builder:render\` makes it.`,
    );
  });
});
