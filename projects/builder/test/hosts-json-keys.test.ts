// builder:check's comparison of hosts.json with the vault: the pinned builder host key and the
// trusted cache key on every node, named by node when either differs or is missing.
import { describe, expect, it } from 'vitest';
import { nodesInPhase } from '@personal-cloud/cluster';
import { hostsJsonKeyProblems, type HostsJsonKeys } from '../src/check/hosts-json-keys';
import { hostNix } from '../src/hosts/host-nix';
import { builderConfig, builderVars, CACHE_PUBLIC_KEY, HOST_PUBLIC_KEY } from './fixtures';

const config = builderConfig(2);
const nix = hostNix(config, nodesInPhase(config), builderVars());
const document = { nodes: { 'master-1': { nix }, 'worker-1': { nix } } };
const vault: HostsJsonKeys = {
  builderHost: 'oxygen-builder',
  vaultHostKey: HOST_PUBLIC_KEY,
  vaultCacheKey: CACHE_PUBLIC_KEY,
};
const FILE = 'dist/hosts/render/hosts.json';

describe("hosts.json against the vault's keys", () => {
  it('passes when every node pins the vault host key and trusts the vault cache key', () => {
    expect(hostsJsonKeyProblems(FILE, document, vault)).toEqual({
      problems: [],
      ran: `the builder's host key and the cache's public key on 2 node(s) of ${FILE} against the vault's`,
    });
  });

  it("names each node whose pinned host key or trusted cache key is not the vault's", () => {
    const rotated = {
      ...vault,
      vaultHostKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAnotherKeyAltogether0000000000000000000',
    };
    expect(hostsJsonKeyProblems(FILE, document, rotated).problems).toEqual(
      ['master-1', 'worker-1'].map(
        (node) =>
          `${FILE}: node ${node} pins a builder host key other than the vault's vars.BUILDER.ssh_host_public_key; run \`npx nx run hosts:render\``,
      ),
    );
    const otherCache = { ...vault, vaultCacheKey: 'pc-cache-2:2EY707pLEOWRb2X6ewwfn5H2fKQMwltIgQ+y9aM0BIg=' };
    expect(hostsJsonKeyProblems(FILE, { nodes: { 'worker-1': { nix } } }, otherCache).problems).toEqual([
      `${FILE}: node worker-1 does not trust the vault's cache key vars.CACHE.public_key (it trusts pc-cache-1); run \`npx nx run hosts:render\``,
    ]);
  });

  it('names a node rendered before the keys existed: no build machine, no cache key', () => {
    const bare = hostNix(config, nodesInPhase(config), {});
    expect(hostsJsonKeyProblems(FILE, { nodes: { 'worker-1': { nix: bare } } }, vault).problems).toEqual([
      `${FILE}: node worker-1 has no build machine oxygen-builder; run \`npx nx run hosts:render\``,
      `${FILE}: node worker-1 does not trust the vault's cache key vars.CACHE.public_key (it trusts no cache key); run \`npx nx run hosts:render\``,
    ]);
  });
});
