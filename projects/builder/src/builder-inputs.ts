// What the builder targets start from: its slice of the validated config, the nodes of its phase, the vault's
// vars (read, never written, in memory), and the nixpkgs revision the hosts pin.
import { readFile } from 'node:fs/promises';
import {
  CloudError,
  nodesInPhase,
  type ConfigSource,
  type LayerConfig,
  type NodeModel,
  type VarsDocument,
} from '@personal-cloud/cluster';
import { openLayerInputs } from '@personal-cloud/infra';
import type { Vault } from '@personal-cloud/vault';

/** The hosts' flake: its pinned nixpkgs is the one the builder image takes OpenSSH from. */
export const HOSTS_FLAKE = 'projects/hosts/nix/flake.nix';

export interface BuilderInputs {
  config: LayerConfig<'builder'>;
  nodes: NodeModel[];
  vault: Vault;
  vars: VarsDocument;
  nixpkgs: string;
}

export async function loadBuilderInputs(
  env: NodeJS.ProcessEnv = process.env,
  from: ConfigSource = 'config file',
): Promise<BuilderInputs> {
  const { config, vault, vars } = await openLayerInputs('builder', from, env);
  return {
    config,
    nodes: nodesInPhase(config),
    vault,
    vars,
    nixpkgs: pinnedNixpkgs(await readFile(HOSTS_FLAKE, 'utf8')),
  };
}

/** `nixpkgs.url = "github:NixOS/nixpkgs/<rev>";` in the hosts' flake, as a flake reference. */
export function pinnedNixpkgs(flake: string): string {
  const url = /^\s*nixpkgs\.url\s*=\s*"([^"]+)"\s*;/m.exec(flake)?.[1];
  if (!url || !/^github:NixOS\/nixpkgs\/[0-9a-f]{40}$/.test(url))
    throw new CloudError(
      `${HOSTS_FLAKE} has no nixpkgs.url pinned to a revision (github:NixOS/nixpkgs/<40 hex digits>); the builder image takes OpenSSH from that same nixpkgs.`,
    );
  return url;
}
