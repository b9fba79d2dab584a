// Everything hosts:check verifies, and which of it could run here. Each check says what it
// needs; one that cannot run is reported as skipped with the reason, never passed silently.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { nixosAnywhereArgs } from '../install/nixos-anywhere-args';
import type { HostsDocument } from '../render/hosts-document';
import { flakeIsolationProblems } from './flake-isolation';
import { evaluateNode, nixFiles, parseProblems } from './nix-evaluation';
import { acceptedFlags, unacceptedFlags } from './nixos-anywhere-flags';
import type { SharedNix } from './shared-nix';
import { findLeaks, type ScannedFile } from '@personal-cloud/vault';

export interface CheckReport {
  ran: string[];
  skipped: string[];
  problems: string[];
}

export interface CheckInputs {
  workspace: string;
  nixDir: string;
  hostsFile: string;
  document: HostsDocument;
  tokens: Record<string, string>;
  shared?: SharedNix;
  /** Where ../shared/nix was looked for, for the skip message. */
  sharedLooked: string;
  nixInstantiate: boolean;
}

export async function runHostsChecks(inputs: CheckInputs): Promise<CheckReport> {
  const report: CheckReport = { ran: [], skipped: [], problems: [] };
  const { pending } = inputs.document;
  // In one Nx run, render and check may run before infra:provision creates the servers; provision
  // renders again with the vars infra recorded and checks that render before it deploys anything.
  if (pending.length)
    report.skipped.push(
      `${pending.map((p) => p.node).join(', ')}: not rendered yet, since infra has not recorded their servers (${pending.flatMap((p) => p.missingVars).length} vars missing); hosts:provision checks them once they exist, before it deploys anything`,
    );
  const files = nixFiles(inputs.nixDir);
  const sources = files.map((path) => ({ path, text: readFileSync(path, 'utf8') }));

  report.problems.push(...flakeIsolationProblems(inputs.nixDir, sources));
  report.ran.push(`the flake reads no dist/ path and nothing outside its folder (${files.length} .nix files)`);

  if (!inputs.nixInstantiate)
    report.skipped.push(
      'nix-instantiate --parse and the module evaluation: nix-instantiate is not on PATH (install Nix)',
    );
  else {
    report.problems.push(...(await parseProblems(files)));
    report.ran.push(`nix-instantiate --parse on ${files.length} .nix files`);
  }

  const nodes = Object.keys(inputs.document.nodes);
  if (!inputs.shared) {
    report.skipped.push(
      `the evaluation with nixpkgs' lib and disko's types, and the nixos-anywhere flags: ${inputs.sharedLooked} is absent (set CLOUD_SHARED_NIX to its folder)`,
    );
  } else {
    if (inputs.nixInstantiate) {
      for (const node of nodes) {
        try {
          await evaluateNode(inputs.nixDir, inputs.shared, inputs.hostsFile, node);
        } catch (error) {
          report.problems.push((error as Error).message);
        }
      }
      report.ran.push(
        `lib.evalModules of ${nodes.length} node(s): the personalCloud options, the NixOS mapping (stand-in options) and disko's layout types`,
      );
    }
    const accepted = acceptedFlags(readFileSync(inputs.shared.nixosAnywhereScript, 'utf8'));
    const example = nixosAnywhereArgs({
      flake: '/tmp/flake',
      node: nodes[0] ?? 'node',
      targetHost: 'root@192.0.2.1',
      identityFile: '/tmp/id',
      knownHostsFile: '/tmp/known',
      extraFilesDir: '/tmp/extra',
      builders: 'ssh://oxygen x86_64-linux',
    });
    report.problems.push(...unacceptedFlags(example, accepted));
    report.ran.push(`the nixos-anywhere flags against the ${accepted.flags.size} its parser accepts`);
  }

  const scanned = filesToScan(inputs.workspace, inputs.nixDir);
  for (const leak of findLeaks(scanned.files, inputs.tokens))
    report.problems.push(`the vault's tokens.${leak.token} appears in ${leak.path}: remove it and rotate the token`);
  report.ran.push(
    `no value of the vault's ${Object.keys(inputs.tokens).length} token(s) in ${scanned.files.length} files (${scanned.what})`,
  );
  if (scanned.skipped) report.skipped.push(scanned.skipped);
  return report;
}

/** The .nix files, everything under dist/, and every file git tracks. */
function filesToScan(workspace: string, nixDir: string): { files: ScannedFile[]; what: string; skipped?: string } {
  const paths = new Set<string>(nixFiles(nixDir));
  const dist = join(workspace, 'dist');
  for (const file of walk(dist)) paths.add(file);
  let skipped: string | undefined;
  try {
    const tracked = execFileSync('git', ['ls-files', '-z'], {
      cwd: workspace,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const file of tracked.split('\0').filter(Boolean)) paths.add(join(workspace, file));
  } catch {
    skipped = `the scan of git-tracked files: ${workspace} is not a git work tree`;
  }
  const files: ScannedFile[] = [];
  for (const path of paths) {
    try {
      files.push({ path: relative(workspace, path), text: readFileSync(path, 'utf8') });
    } catch {
      // Tracked but deleted in the work tree: nothing there to leak.
    }
  }
  return { files, what: '.nix files, dist/ and git-tracked files', skipped };
}

function walk(dir: string): string[] {
  try {
    if (!statSync(dir).isDirectory()) return [];
  } catch {
    return [];
  }
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}
