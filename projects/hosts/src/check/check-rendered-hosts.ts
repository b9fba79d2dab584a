// Runs every hosts check on a hosts.json as written, and prints which ran and which were skipped:
// for hosts:check, and for provision when what it deploys differs from what check saw.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CloudError } from '@personal-cloud/cluster';
import type { HostsDocument } from '../render/hosts-document';
import { runHostsChecks } from './hosts-checks';
import { locateSharedNix } from './shared-nix';

/** The Nix sources, found from this file so the run's working directory does not matter. */
export const NIX_DIR = fileURLToPath(new URL('../../nix', import.meta.url));

/** Every check on a hosts.json as written at `hostsFile`; prints what ran and was skipped, throws on a problem. */
export async function checkRenderedHosts(options: {
  document: HostsDocument;
  hostsFile: string;
  tokens: Record<string, string>;
  log: (line: string) => void;
}): Promise<void> {
  const workspace = process.cwd();
  const shared = locateSharedNix(workspace);
  const report = await runHostsChecks({
    workspace,
    nixDir: NIX_DIR,
    hostsFile: options.hostsFile,
    document: options.document,
    tokens: options.tokens,
    shared: shared.found,
    sharedLooked: shared.looked,
    nixInstantiate: canRun('nix-instantiate'),
  });
  for (const line of report.ran) options.log(`hosts: checked ${line}.`);
  for (const line of report.skipped) options.log(`hosts: skipped ${line}.`);
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
