// The operator's own machine: a machines file, a nix.conf snippet and an ssh alias, so the hosts'
// installs (`nixos-anywhere --build-on local`) and `nixos-rebuild --build-host` build on Oxygen
// and substitute from the cluster's cache.
import type { BuilderFacts } from './builder-facts';
import { BUILDER, builderAlias } from './builder-settings';
import { machinesLine, type BuildMachine } from './build-machines';

export const OPERATOR_FILES = {
  machines: '/etc/nix/personal-cloud-machines',
  sshConfig: '/etc/ssh/ssh_config.d/personal-cloud-builder.conf',
} as const;

export function machinesFile(machines: readonly BuildMachine[]): string {
  return `# personal-cloud build machines (Nix's machines format); nix.conf names this file in builders.\n${machines.map(machinesLine).join('\n')}\n`;
}

export function operatorNixConf(facts: BuilderFacts, cacheUrl: string): string {
  return `# personal-cloud: build on Oxygen, substitute from the cluster's cache. Add to /etc/nix/nix.conf.
builders = @${OPERATOR_FILES.machines}
builders-use-substitutes = true
extra-substituters = ${cacheUrl}
extra-trusted-public-keys = ${facts.cachePublicKey}
# A sleeping desktop costs five seconds, then Nix builds or substitutes elsewhere.
connect-timeout = 5
fallback = true
`;
}

export interface SshEndpoint {
  alias: string;
  hostName: string;
  port: number;
  user: string;
  identityFile: string;
}

/** Where the operator reaches the builder: Oxygen's tailnet name, the builder's port and user. */
export function builderEndpoint(oxygenHostname: string, identityFile: string): SshEndpoint {
  return {
    alias: builderAlias(oxygenHostname),
    hostName: oxygenHostname,
    port: BUILDER.sshPort,
    user: BUILDER.user,
    identityFile,
  };
}

/** Nix's machine URIs take no port: the alias carries it, and pins the host key under the alias's name. */
export function builderSshConfig(endpoint: SshEndpoint): string {
  return `# personal-cloud's builder: its sshd listens on port ${endpoint.port} of Oxygen's Tailscale address.
Host ${endpoint.alias}
  HostName ${endpoint.hostName}
  Port ${endpoint.port}
  User ${endpoint.user}
  IdentityFile ${endpoint.identityFile}
  IdentitiesOnly yes
  HostKeyAlias ${endpoint.alias}
  ConnectTimeout 5
`;
}
