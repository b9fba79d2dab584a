// Oxygen's NixOS module evaluated as the hosts' modules are: nixpkgs' real lib.evalModules (from
// ../shared/nix, see its README) over the personalCloud.oxygen option tree render wrote, against
// declared stand-ins of the NixOS options it sets. A value the types refuse fails with the
// option's name in Nix's own words.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { promisify } from 'node:util';

/** projects/builder/nix: Oxygen's modules and their offline check. */
export const OXYGEN_NIX_DIR = resolve(import.meta.dirname, '../../nix');

/** ../shared/nix (or CLOUD_SHARED_NIX) when it holds nixpkgs' lib; null otherwise. */
export function sharedNixLib(workspace: string, env: NodeJS.ProcessEnv = process.env): string | null {
  const dir = resolve(workspace, env.CLOUD_SHARED_NIX || '../shared/nix');
  return existsSync(resolve(dir, 'nixpkgs-lib/lib')) ? dir : null;
}

/** What Oxygen would get (tailscale, podman, containers, k3s, k3sUnit), or the evaluation's error line. */
export async function evaluateOxygenModule(
  sharedNix: string,
  oxygenFile: string,
): Promise<{ ok: true; value: Record<string, unknown> } | { ok: false; error: string }> {
  try {
    const { stdout } = await promisify(execFile)(
      'nix-instantiate',
      [
        '--eval',
        '--strict',
        '--json',
        resolve(OXYGEN_NIX_DIR, 'offline-check/evaluate-oxygen.nix'),
        '--arg',
        'sharedNix',
        sharedNix,
        '--argstr',
        'oxygenFile',
        resolve(oxygenFile),
      ],
      { maxBuffer: 16 * 1024 * 1024 },
    );
    return { ok: true, value: JSON.parse(stdout) as Record<string, unknown> };
  } catch (error) {
    const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message).split('\n');
    // Nix's message: the `error:` line and the definition lines under it, up to its --show-trace hint.
    const from = stderr.findIndex((l) => l.startsWith('error:'));
    const lines = from < 0 ? stderr.slice(-1) : stderr.slice(from);
    const end = lines.findIndex((l) => l.includes('--show-trace'));
    const message = (end < 0 ? lines : lines.slice(0, end)).join(' ').replace(/\s+/g, ' ').trim();
    return { ok: false, error: message };
  }
}
