// A note, beside the vault's fingerprints, that the key step found every key for these inputs:
// `cluster/keys-index.json`, derived and never committed. The Nx plugin reads it before every run
// that reaches a layer (tools/nx-plugin/src/index.ts) to skip the key step without starting tsx or
// decrypting anything, so that a run whose keys all exist writes nothing and Nx hashes the vault as
// the layers will read it.
//
// Only node built-ins and light vault files here: the plugin loads this file into every nx command.
//
// The note holds key names and digests, never a value. It is trusted only while what it was made
// from holds: the config file and the sources that decide which keys exist (every project's src/,
// where the key specs and what they call live) are unchanged, every named key is still among the
// tokens' slices in the fingerprints file (slice-fingerprints.ts), and the vars slices holding the
// public halves have the digests they had. A document the fingerprints file does not describe (
// written by hand) fails the check too. Any doubt makes the plugin run the key step, which checks
// for real and writes the note again; writes elsewhere in the vault (infra's server vars) do not.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { FINGERPRINTS_FILE } from '../secrets-repo-layout';

export const KEYS_INDEX_FILE = 'cluster/keys-index.json';

interface KeysIndex {
  version: 1;
  /** sha256 of the config file and the projects' sources, when every key was found. */
  inputs: string;
  /** The names of the keys the layers need (names, not values: the fingerprints file lists them too). */
  tokens: string[];
  /** The vars slices holding their public halves, by their digests in the fingerprints file then. */
  vars: Record<string, string>;
}

/** The config file, as load-config.ts finds it: $CLOUD_CONFIG, else cluster.config.ts in the workspace. */
function configFile(workspaceRoot: string, env: NodeJS.ProcessEnv): string {
  return resolve(workspaceRoot, env.CLOUD_CONFIG || 'cluster.config.ts');
}

function sourceFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ts'))
    .sort()
    .map((file) => join(dir, file));
}

/** What decides which keys must exist: the config and every project's src/. */
export function keysInputsDigest(workspaceRoot: string, env: NodeJS.ProcessEnv): string {
  const hash = createHash('sha256');
  const config = configFile(workspaceRoot, env);
  hash.update(`${config}\0${existsSync(config) ? readFileSync(config, 'utf8') : 'absent'}\0`);
  const projects = join(workspaceRoot, 'projects');
  for (const project of existsSync(projects) ? readdirSync(projects).sort() : [])
    for (const file of sourceFiles(join(projects, project, 'src')))
      hash
        .update(`${file.slice(workspaceRoot.length)}\0`)
        .update(readFileSync(file))
        .update('\0');
  return hash.digest('hex');
}

/** A document's slice digests from the fingerprints file, when they were taken from its current ciphertext. */
function currentSlices(secretsDir: string, doc: 'tokens' | 'vars'): Record<string, string> | undefined {
  const file = join(secretsDir, 'cluster', `${doc}.json.age`);
  if (!existsSync(file)) return undefined;
  try {
    const fingerprints = JSON.parse(readFileSync(join(secretsDir, FINGERPRINTS_FILE), 'utf8'));
    const entry = fingerprints?.documents?.[doc];
    const ciphertext = createHash('sha256').update(readFileSync(file)).digest('hex');
    return entry?.ciphertext === ciphertext && typeof entry.slices === 'object' ? entry.slices : undefined;
  } catch {
    return undefined;
  }
}

/** True when the key step last found every key for exactly these inputs, and every one is still there. */
export function keysIndexIsCurrent(workspaceRoot: string, secretsDir: string, env: NodeJS.ProcessEnv): boolean {
  let recorded: Partial<KeysIndex>;
  try {
    recorded = JSON.parse(readFileSync(join(secretsDir, KEYS_INDEX_FILE), 'utf8')) as Partial<KeysIndex>;
  } catch {
    return false;
  }
  if (recorded.version !== 1 || !Array.isArray(recorded.tokens) || typeof recorded.vars !== 'object') return false;
  const tokens = currentSlices(secretsDir, 'tokens');
  const vars = currentSlices(secretsDir, 'vars');
  return (
    tokens !== undefined &&
    vars !== undefined &&
    recorded.tokens.every((name) => tokens[`tokens.${name}`] !== undefined) &&
    Object.entries(recorded.vars).every(([slice, digest]) => vars[slice] === digest) &&
    recorded.inputs === keysInputsDigest(workspaceRoot, env)
  );
}

/**
 * Called by the key step once every key is in the vault, with the token names and the vars paths
 * of their public halves; writes only when the note would change.
 */
export function recordKeysComplete(
  workspaceRoot: string,
  secretsDir: string,
  env: NodeJS.ProcessEnv,
  keys: { tokens: readonly string[]; publicVars: readonly string[] },
): void {
  const vars = currentSlices(secretsDir, 'vars') ?? {};
  const slices = [...new Set(keys.publicVars.map((path) => `vars.${path.split('.')[0]}`))].sort();
  const index: KeysIndex = {
    version: 1,
    inputs: keysInputsDigest(workspaceRoot, env),
    tokens: [...keys.tokens].sort(),
    vars: Object.fromEntries(slices.map((slice) => [slice, vars[slice] ?? 'absent'])),
  };
  const text = `${JSON.stringify(index, null, 2)}\n`;
  const file = join(secretsDir, KEYS_INDEX_FILE);
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return;
  writeFileSync(file, text, { mode: 0o644 });
}
