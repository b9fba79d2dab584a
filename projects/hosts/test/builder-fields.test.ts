// The builder layer's fields (its hostNix) in every node of hosts.json, and what the real NixOS
// module makes of them: nix.settings with the cache and fallback, nix.buildMachines with Oxygen's
// pinned host key, and the ssh alias that carries the builder's port.
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeNeeding } from '../../../tools/test-support/external-tools';
import { CACHE_PUBLIC_KEY, HOST_PUBLIC_KEY } from '../../builder/test/fixtures';
import { evaluateNode } from '../src/check/nix-evaluation';
import { renderWithBuilder, writeHostsJson } from './fixtures';
import { NIX_DIR, NIX_NEEDS, SHARED } from './support';

const { nodes, document } = renderWithBuilder(4);
const pinnedKey = Buffer.from(HOST_PUBLIC_KEY.split(' ').slice(0, 2).join(' ')).toString('base64');

it("every node carries the cache's key and Oxygen as a build machine with its pinned host key", () => {
  expect(Object.keys(document.nodes)).toEqual(nodes.map((n) => n.name));
  for (const entry of Object.values(document.nodes)) {
    expect(entry.nix.trustedPublicKeys).toEqual([CACHE_PUBLIC_KEY]);
    expect(entry.nix.builders[0]).toMatchObject({ hostName: 'oxygen-builder', publicHostKey: pinnedKey });
    expect(entry.nix.fallback).toBe(true);
  }
});

describeNeeding(NIX_NEEDS, "the hosts' NixOS module with the builder's fields", () => {
  const made: string[] = [];
  afterAll(() => {
    for (const file of made) rmSync(dirname(file), { recursive: true, force: true });
  });

  it('becomes nix.settings, nix.buildMachines and the ssh alias that carries the port', async () => {
    const file = writeHostsJson(document);
    made.push(file);
    const result = (await evaluateNode(NIX_DIR, SHARED!, file, 'worker-1')) as unknown as {
      nix: {
        settings: Record<string, unknown>;
        distributedBuilds: boolean;
        buildMachines: unknown[];
        sshConfig: string;
      };
    };
    expect(result.nix.settings).toMatchObject({
      substituters: ['https://cache.example.org/pc'],
      'trusted-public-keys': [CACHE_PUBLIC_KEY],
      'builders-use-substitutes': true,
      fallback: true,
    });
    expect(result.nix.distributedBuilds).toBe(true);
    expect(result.nix.buildMachines).toEqual([document.nodes['worker-1']!.nix.builders[0]]);
    expect(result.nix.buildMachines[0]).toMatchObject({ protocol: 'ssh-ng', sshUser: 'nix-builder', maxJobs: 8 });
    expect(result.nix.sshConfig).toBe(
      'Host oxygen-builder\n  HostName oxygen\n  Port 2222\n  HostKeyAlias oxygen-builder\n  ConnectTimeout 5\n',
    );
  });
});
