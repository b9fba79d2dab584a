// What every host's Nix gets from the builder layer, as fields of hosts.json (the hosts' module
// turns them into nix.settings, nix.buildMachines and an ssh alias; no Nix text comes from here):
// the cluster's cache as a substituter with the vault's public key, Oxygen as a remote builder
// with its host key pinned (and, with builder.clusterFallback, the workers for light builds), and
// `fallback = true` so a sleeping desktop or an unreachable cache never stops a build.
// Pure: the hosts' render calls it with the config, the phase's nodes and the vault's vars.
import { lookupVar, type LayerConfig, type NodeModel, type VarsDocument } from '@personal-cloud/cluster';
import { builderKeys, HOST_BUILDER_CLIENT_KEY } from '../keys/builder-keys';
import { readBuilderFacts } from '../render/builder-facts';
import { BUILDER, builderAlias, CACHE_APP } from '../render/builder-settings';
import { buildMachines, type BuildMachine } from '../render/build-machines';

/** One `Host` block of the host's ssh_config: Nix's machine URIs carry no port, the alias does. */
export interface HostSshAlias {
  alias: string;
  hostName: string;
  port: number;
}

/** A build machine as NixOS's nix.buildMachines takes it (render's machines file holds the same). */
export type HostBuildMachine = BuildMachine;

export interface HostNix {
  substituters: string[];
  trustedPublicKeys: string[];
  builders: HostBuildMachine[];
  distributedBuilds: boolean;
  /** The builder fetches what it can from the caches rather than through the host. */
  buildersUseSubstitutes: boolean;
  /** Build locally when no substituter or builder answers. */
  fallback: boolean;
  sshAliases: HostSshAlias[];
}

/**
 * The builder's fields for one host. The cache is listed when the config has the nix-cache app
 * and the key step has recorded its public key; Oxygen when it builds and its vars are recorded;
 * otherwise the lists are empty and the host builds and substitutes as plain NixOS does.
 */
export function hostNix(config: LayerConfig<'builder'>, nodes: readonly NodeModel[], vars: VarsDocument): HostNix {
  const keys = builderKeys(config.name);
  const cacheApp = config.apps.find((app) => app.name === CACHE_APP && app.host);
  const cacheKey = String(lookupVar(vars, keys.cacheSigningKey.publicVar) ?? '').trim();
  const cache = cacheApp && cacheKey ? { url: `https://${cacheApp.host}/${config.name}`, key: cacheKey } : null;
  const oxygen = config.oxygen;
  const facts = readBuilderFacts(keys, vars).facts;
  const builds = oxygen?.enabled === true && oxygen.roles.includes('builder') && facts !== null;
  const builders = builds ? buildMachines(oxygen, nodes, facts, HOST_BUILDER_CLIENT_KEY) : [];
  return {
    substituters: cache ? [cache.url] : [],
    trustedPublicKeys: cache ? [cache.key] : [],
    builders,
    distributedBuilds: builders.length > 0,
    buildersUseSubstitutes: builders.length > 0,
    fallback: true,
    sshAliases: builds
      ? [{ alias: builderAlias(oxygen.hostname), hostName: oxygen.hostname, port: BUILDER.sshPort }]
      : [],
  };
}
