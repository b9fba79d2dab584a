// What status and plan both start from: Oxygen's answer to a probe (or why it gave none) and
// the generation provision would deploy from what render made. Reads; changes nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerConfig, VarsDocument } from '@personal-cloud/cluster';
import { openWorld, type World } from '@personal-cloud/infra';
import { ATTIC_TOKEN_SECRET, builderKeys } from '../keys/builder-keys';
import { chooseOxygenExecutor, chooseOxygenSystem } from '../provision/choose-oxygen-executor';
import { oxygenDeployment, type OxygenDeploymentInput } from '../provision/oxygen-deployment';
import type { OxygenNixos } from '../provision/oxygen-nixos';
import { OxygenStepError, type OxygenProbe } from '../provision/oxygen-executor';
import { readBuilderFacts } from '../render/builder-facts';
import { CACHE_APP } from '../render/builder-settings';
import { cacheUrlOf } from '../render/render-builder';
import { MANIFEST, readRendered, RENDER_DIR } from './render';
import { K3S_TOKEN } from '@personal-cloud/layer-kit';

export interface OxygenReading {
  probe: OxygenProbe | { unreachable: string };
  /** The generation provision would deploy; null when render is not complete. */
  wantedGeneration: string | null;
  /** Set when Oxygen runs NixOS (the module is deployed with nixos-rebuild). */
  nixos: OxygenNixos | null;
  /** The cache's URL, when the config has a nix-cache app with a host. */
  cacheUrl: string | null;
  /** Which world answered: in the sandbox, the cache host exists only in the model. */
  world: World['kind'];
}

export async function readOxygen(
  config: LayerConfig<'builder'> & { oxygen: NonNullable<LayerConfig<'builder'>['oxygen']> },
  vars: VarsDocument,
  tokens: Record<string, string>,
): Promise<OxygenReading> {
  const { oxygen } = config;
  const facts = readBuilderFacts(builderKeys(config.name), vars).facts;
  const world = await openWorld();
  const executor = chooseOxygenExecutor(world, vars, tokens);
  const nixos = await chooseOxygenSystem(world, vars, RENDER_DIR);
  let probe: OxygenReading['probe'];
  try {
    probe = await executor.probe({
      name: oxygen.hostname,
      sshAddress: oxygen.hostname,
      tailscaleIp: facts?.oxygenTailscaleIp ?? '',
    });
  } catch (error) {
    if (!(error instanceof OxygenStepError) || error.reason !== 'unreachable') throw error;
    probe = { unreachable: error.message.replace(/\.$/, '') };
  } finally {
    await executor.close();
    await world.close();
  }
  const cacheUrl = config.apps.some((a) => a.name === CACHE_APP && a.host) ? cacheUrlOf(config) : null;
  const wantedGeneration = await renderedGeneration({
    cluster: config.name,
    tokens,
    builder: oxygen.roles.includes('builder') ? oxygen.builder : null,
    cacheUrl: cacheUrl ?? '',
    hostname: oxygen.hostname,
    nixos,
  });
  return { probe, wantedGeneration, nixos, cacheUrl, world: world.kind };
}

/** The generation provision would deploy from what render made; null when render is not complete. */
async function renderedGeneration(
  input: Omit<OxygenDeploymentInput, 'rendered' | 'k3sTokenName'>,
): Promise<string | null> {
  if (!existsSync(join(RENDER_DIR, MANIFEST))) return null;
  const { manifest, files: rendered } = await readRendered();
  const unknown = !input.tokens[K3S_TOKEN] || !input.tokens[ATTIC_TOKEN_SECRET] || (input.builder && !input.cacheUrl);
  if (manifest.missingVars.length || unknown) return null;
  return oxygenDeployment({ ...input, rendered, k3sTokenName: K3S_TOKEN }).generation;
}
