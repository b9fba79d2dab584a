// The keys the hosts will trust, as hosts.json holds them, against the vault's: every rendered
// node pins the builder's host key and trusts the cache's public key. A hosts.json rendered before
// a key changed (or edited by hand) would deploy hosts that refuse Oxygen or the cache; this says
// which node and which key, so a re-render fixes it before anything is deployed.

export interface HostsJsonKeys {
  /** The builder's ssh alias, the build machine's hostName in hosts.json. */
  builderHost: string;
  /** `ssh-ed25519 AAAA…` from the vault's vars; undefined when the key step has not run. */
  vaultHostKey: string | undefined;
  /** `name:base64` from the vault's vars; undefined when there is no cache key. */
  vaultCacheKey: string | undefined;
}

interface HostsJsonNode {
  nix?: { trustedPublicKeys?: unknown; builders?: { hostName?: unknown; publicHostKey?: unknown }[] };
}

/** Problems, one sentence each, and what was compared. `document` is hosts.json as parsed. */
export function hostsJsonKeyProblems(
  file: string,
  document: unknown,
  expected: HostsJsonKeys,
): { problems: string[]; ran: string } {
  const nodes = Object.entries(((document as { nodes?: unknown })?.nodes ?? {}) as Record<string, HostsJsonNode>);
  const problems: string[] = [];
  const pinned = expected.vaultHostKey
    ? Buffer.from(expected.vaultHostKey.split(/\s+/).slice(0, 2).join(' ')).toString('base64')
    : undefined;
  for (const [name, node] of nodes) {
    const builder = node.nix?.builders?.find((b) => b.hostName === expected.builderHost);
    if (pinned && !builder)
      problems.push(
        `${file}: node ${name} has no build machine ${expected.builderHost}; run \`npx nx run hosts:render\``,
      );
    else if (pinned && builder!.publicHostKey !== pinned)
      problems.push(
        `${file}: node ${name} pins a builder host key other than the vault's vars.BUILDER.ssh_host_public_key; run \`npx nx run hosts:render\``,
      );
    const trusted = Array.isArray(node.nix?.trustedPublicKeys) ? (node.nix!.trustedPublicKeys as unknown[]) : [];
    if (expected.vaultCacheKey && !trusted.includes(expected.vaultCacheKey))
      problems.push(
        `${file}: node ${name} does not trust the vault's cache key vars.CACHE.public_key (it trusts ${trusted.length ? trusted.map((k) => String(k).split(':')[0]).join(', ') : 'no cache key'}); run \`npx nx run hosts:render\``,
      );
  }
  const what = [pinned ? "the builder's host key" : '', expected.vaultCacheKey ? "the cache's public key" : '']
    .filter(Boolean)
    .join(' and ');
  return {
    problems,
    ran: `${what || 'no builder or cache key'} on ${nodes.length} node(s) of ${file} against the vault's`,
  };
}
