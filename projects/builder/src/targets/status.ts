// builder:status — whether Oxygen's builder answers and with which Nix, the free space on its
// /nix, whether the cache answers and when Oxygen last pushed, whether its node is Ready. A red
// line for each thing that is wrong. Changes nothing.
import pc from 'picocolors';
import { loadBuilderInputs } from '../builder-inputs';
import { builderStatus, type StatusInput } from '../status/builder-status';
import { readOxygen } from './read-oxygen';

export async function run(): Promise<void> {
  const { config, vault, vars } = await loadBuilderInputs();
  const oxygen = config.oxygen;
  if (!oxygen?.enabled) {
    console.log('builder: oxygen is not enabled in the config; nothing to show.');
    return;
  }
  const { probe, wantedGeneration, cacheUrl, world } = await readOxygen(
    { ...config, oxygen },
    vars,
    await vault.read('tokens'),
  );
  const lines = builderStatus({
    name: oxygen.hostname,
    probe,
    cache: !cacheUrl
      ? null
      : world === 'sandbox'
        ? { url: cacheUrl, reachable: 'modelled' }
        : await cacheAnswers(cacheUrl),
    lastPushAgeSeconds: 'unreachable' in probe ? null : probe.lastPushAgeSeconds,
    wantedGeneration,
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
