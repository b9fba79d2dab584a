// hosts:check — what render made and the Nix that reads it, with the field's own tools; says
// which checks ran and which could not (and why).
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { CloudError } from '@personal-cloud/cluster';
import { runHostsChecks } from '../check/hosts-checks';
import { locateSharedNix } from '../check/shared-nix';
import { loadHostsInputs } from '../hosts-inputs';
import type { HostsDocument } from '../render/hosts-document';
import { HOSTS_JSON } from './render';

export const NIX_DIR = 'projects/hosts/nix';

export async function run(): Promise<void> {
  const workspace = process.cwd();
  const document = JSON.parse(await readFile(HOSTS_JSON, 'utf8')) as HostsDocument;
  const { vault } = await loadHostsInputs();
  const shared = locateSharedNix(workspace);
  const report = await runHostsChecks({
    workspace,
    nixDir: resolve(NIX_DIR),
    hostsFile: resolve(HOSTS_JSON),
    document,
    tokens: await vault.read('tokens'),
    shared: shared.found,
    sharedLooked: shared.looked,
    nixInstantiate: canRun('nix-instantiate'),
  });
  for (const line of report.ran) console.log(`hosts: checked ${line}.`);
  for (const line of report.skipped) console.log(`hosts: skipped ${line}.`);
  if (report.problems.length)
    throw new CloudError(
      `hosts:check found ${report.problems.length} problem(s):\n${report.problems.map((p) => `  ${p}`).join('\n')}`,
    );
}

function canRun(command: string): boolean {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
