// builder:status — whether Oxygen's builder answers and with which Nix, the free space on its
// /nix, whether the cache answers and when Oxygen last pushed, whether its node is Ready. A red
// line for each thing that is wrong. Changes nothing.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pc from 'picocolors';
import { openWorld } from '@personal-cloud/infra';
import { loadBuilderInputs } from '../builder-inputs';
import { ATTIC_TOKEN_SECRET, builderKeys } from '../keys/builder-keys';
import { chooseOxygenExecutor, chooseOxygenSystem } from '../provision/choose-oxygen-executor';
import { oxygenDeployment, type OxygenDeploymentInput } from '../provision/oxygen-deployment';
import { OxygenStepError, type OxygenProbe } from '../provision/oxygen-executor';
import { readBuilderFacts } from '../render/builder-facts';
import { CACHE_APP } from '../render/builder-settings';
import { cacheUrlOf } from '../render/render-builder';
import { builderStatus, type StatusInput } from '../status/builder-status';
import { K3S_TOKEN } from './provision';
import { MANIFEST, readRendered, RENDER_DIR } from './render';

export async function run(): Promise<void> {
  const { config, vault, vars } = await loadBuilderInputs();
  const oxygen = config.oxygen;
  if (!oxygen?.enabled) {
    console.log('builder: oxygen is not enabled in the config; nothing to show.');
    return;
  }
  const tokens = await vault.read('tokens');
  const facts = readBuilderFacts(builderKeys(config.name), vars).facts;
  const world = await openWorld();
  const executor = chooseOxygenExecutor(world, vars, tokens);
  let probe: OxygenProbe | { unreachable: string };
  try {
    probe = await executor.probe({
      name: oxygen.hostname,
      sshAddress: oxygen.hostname,
      tailscaleIp: facts?.oxygenTailscaleIp ?? '',
    });
  } catch (error) {
    if (!(error instanceof OxygenStepError) || error.reason !== 'unreachable') throw error;
    probe = { unreachable: error.message };
  } finally {
    await executor.close();
    await world.close();
  }
  const app = config.apps.find((a) => a.name === CACHE_APP && a.host);
  const lines = builderStatus({
    name: oxygen.hostname,
    probe,
    cache: app ? await cacheAnswers(cacheUrlOf(config)) : null,
    lastPushAgeSeconds: 'unreachable' in probe ? null : probe.lastPushAgeSeconds,
    wantedGeneration: await renderedGeneration({
      cluster: config.name,
      tokens,
      builder: oxygen.roles.includes('builder') ? oxygen.builder : null,
      cacheUrl: app ? cacheUrlOf(config) : '',
      hostname: oxygen.hostname,
      nixos: await chooseOxygenSystem(world, vars, RENDER_DIR),
    }),
  });
  for (const line of lines) console.log(line.ok ? `✓ ${line.text}` : pc.red(`✗ ${line.text}`));
}

async function cacheAnswers(url: string): Promise<StatusInput['cache']> {
  try {
    const response = await fetch(`${url}/nix-cache-info`, { signal: AbortSignal.timeout(5000) });
    return response.ok ? { url, reachable: true } : { url, reachable: false, reason: `HTTP ${response.status}` };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { url, reachable: false, reason: cause?.code ?? cause?.message ?? (error as Error).message };
  }
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
