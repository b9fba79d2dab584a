// The hosts' Nix fields as builder:render writes them for hosts:render to read. The hosts take the
// cache's URL (from the nix-cache app) through this file rather than from the config's apps, so
// an edit to an app reaches the hosts' cache key only when it changes what the hosts get.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { CloudError } from '@personal-cloud/cluster';
import type { HostNix } from './host-nix';

/** Under builder:render's output, so Nx restores it with a cache hit and hosts' key hashes it. */
export const HOST_NIX_FILE = 'dist/builder/render/host-nix.json';

export async function readHostNix(file: string = HOST_NIX_FILE): Promise<HostNix> {
  const remedy = '`npx nx run builder:render` makes it';
  if (!existsSync(file)) throw new CloudError(`${file} does not exist: ${remedy}.`);
  try {
    const nix = JSON.parse(await readFile(file, 'utf8')) as HostNix;
    if (Array.isArray(nix.substituters) && Array.isArray(nix.builders) && Array.isArray(nix.sshAliases)) return nix;
  } catch {
    // Reported below, as a file that is not what builder:render writes.
  }
  throw new CloudError(`${file} is not the hosts' Nix fields that builder:render writes: ${remedy}.`);
}
