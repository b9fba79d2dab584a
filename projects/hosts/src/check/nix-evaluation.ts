// Runs nix-instantiate: parsing every .nix file, and the offline evaluation of each node
// (nix/offline-check/evaluate-node.nix) with the real nixpkgs lib and disko types.
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CloudError } from '@personal-cloud/cluster';
import type { SharedNix } from './shared-nix';

const run = promisify(execFile);

/** Every .nix file under `dir`. */
export function nixFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.nix'))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}

/** Nix's own complaint, without its noise (the build-users warning, the --show-trace hint). */
export function nixError(stderr: string): string {
  return (
    stderr
      .split('\n')
      // Drop nix's source excerpts ("  1| { a = ; }" and the caret line under them).
      .filter(
        (line) =>
          line.trim() &&
          !line.startsWith('warning:') &&
          !line.includes("use '--show-trace'") &&
          !/^\s*\d*\|/.test(line),
      )
      .map((line) => line.trim())
      .join(' ')
      .replace(/^error:\s*/, '')
  );
}

async function nixInstantiate(args: string[]): Promise<string> {
  try {
    const { stdout } = await run('nix-instantiate', args, { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch (error) {
    const failure = error as { stderr?: string; message: string };
    throw new Error(nixError(failure.stderr ?? failure.message));
  }
}

/** Parses every file in one run (nix names the file of a syntax error); the problems as sentences. */
export async function parseProblems(files: readonly string[]): Promise<string[]> {
  if (!files.length) return [];
  try {
    await nixInstantiate(['--parse', ...files]);
    return [];
  } catch (error) {
    return [`a .nix file does not parse: ${(error as Error).message}`];
  }
}

export interface NodeEvaluation {
  node: Record<string, unknown>;
  k3s: Record<string, unknown>;
  firewall: Record<string, unknown>;
  disko: { fileSystems: Record<string, { device: string; fsType: string }>; grubDevices: string[] };
  [key: string]: unknown;
}

/** Evaluates one node of hosts.json; a type error, failed assertion or bad layout throws, naming the node. */
export async function evaluateNode(
  nixDir: string,
  shared: SharedNix,
  hostsFile: string,
  node: string,
): Promise<NodeEvaluation> {
  try {
    const out = await nixInstantiate([
      '--eval',
      '--strict',
      '--json',
      join(nixDir, 'offline-check/evaluate-node.nix'),
      '--arg',
      'sharedNix',
      shared.dir,
      '--argstr',
      'hostsFile',
      hostsFile,
      '--argstr',
      'node',
      node,
    ]);
    return JSON.parse(out) as NodeEvaluation;
  } catch (error) {
    throw new CloudError(`node ${node} does not evaluate: ${(error as Error).message}`);
  }
}
