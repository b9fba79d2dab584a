// What an install or rebuild over SSH deploys: the flake, locked once per run with its render
// input pointing at the render folder (nixos-anywhere has no --override-input), and the node's
// extra files in the vault's secure temp folder. Both are removed when the run ends.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { CloudError } from '@personal-cloud/cluster';
import { createSecureTempDir, type SecureTempDir, type Tokens } from '@personal-cloud/vault';
import { NIX_DIR } from '../check/check-rendered-hosts';
import type { DeploySource } from '../executor/ssh-executor';
import type { MachineTarget } from '../executor/machine-executor';
import type { HostsDocument } from '../render/hosts-document';
import { writeExtraFiles } from './extra-files';

/** zx on first use: loading it costs about 50 ms of every start, and a run that finds nothing to do never needs it. */
const zx = () => import('zx');

export interface DeploySources {
  source(target: MachineTarget): Promise<DeploySource>;
  close(): Promise<void>;
}

export function deploySources(document: HostsDocument, tokens: Tokens, renderDir: string): DeploySources {
  let secrets: Promise<SecureTempDir> | undefined;
  let flake: Promise<string> | undefined;
  const extraFiles = new Map<string, Promise<string>>();
  return {
    async source(target) {
      secrets ??= createSecureTempDir();
      flake ??= lockedFlake(renderDir);
      if (!extraFiles.has(target.node))
        extraFiles.set(
          target.node,
          secrets.then((dir) => writeExtraFiles(dir, document.nodes[target.node]!, tokens)),
        );
      return { flake: await flake, extraFilesDir: await extraFiles.get(target.node)! };
    },
    async close() {
      if (secrets) await (await secrets).remove();
      const copy = await flake?.catch(() => undefined);
      if (copy) await rm(copy, { recursive: true, force: true });
    },
  };
}

/** A copy of the flake, locked with `render` at the render folder; Nix pins the pinned inputs. */
async function lockedFlake(renderDir: string): Promise<string> {
  const copy = await mkdtemp(join(tmpdir(), 'personal-cloud-flake-'));
  await cp(NIX_DIR, copy, { recursive: true });
  const locked = await (await zx()).$({
    nothrow: true,
    quiet: true,
  })`nix --extra-experimental-features ${'nix-command flakes'} flake lock ${`path:${copy}`} --override-input render ${`path:${resolve(renderDir)}`}`;
  if (locked.exitCode !== 0)
    throw new CloudError(
      `nix flake lock of the hosts flake failed (exit ${locked.exitCode}): ${locked.stderr.trim().split('\n').at(-1) ?? ''}.`,
    );
  return copy;
}
