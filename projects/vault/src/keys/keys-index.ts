// A note, beside the vault's fingerprints, that the key step found every key for these inputs:
// `cluster/keys-index.json`, derived and never committed. The Nx plugin reads it before every run
// that reaches a layer (tools/nx-plugin/src/index.ts) to skip the key step without starting tsx or
// decrypting anything, so that a run whose keys all exist writes nothing and Nx hashes the vault as
// the layers will read it.
//
// Only node built-ins here: the plugin loads this file into every nx command.
//
// The note is trusted only while what it was made from is unchanged: the config file, the sources
// that decide which keys exist (every project's src/, where the key specs and what they call live),
// and the ciphertext of tokens and vars (a key or public half removed by hand changes them). Any
// change makes the plugin run the key step, which checks for real and writes the note again.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const KEYS_INDEX_FILE = 'cluster/keys-index.json';

interface KeysIndex {
  version: 1;
  /** sha256 of the config file and the projects' sources, when every key was found. */
  inputs: string;
  /** sha256 of each document's ciphertext then. */
  tokens: string;
  vars: string;
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
  for (const project of readdirSync(projects).sort())
    for (const file of sourceFiles(join(projects, project, 'src')))
      hash
        .update(`${file.slice(workspaceRoot.length)}\0`)
        .update(readFileSync(file))
        .update('\0');
  return hash.digest('hex');
}

function ciphertextDigest(secretsDir: string, doc: 'tokens' | 'vars'): string {
  const file = join(secretsDir, 'cluster', `${doc}.json.age`);
  return existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : 'absent';
}

function currentIndex(workspaceRoot: string, secretsDir: string, env: NodeJS.ProcessEnv): KeysIndex {
  return {
    version: 1,
    inputs: keysInputsDigest(workspaceRoot, env),
    tokens: ciphertextDigest(secretsDir, 'tokens'),
    vars: ciphertextDigest(secretsDir, 'vars'),
  };
}

/** True when the key step last found every key for exactly these inputs and documents. */
export function keysIndexIsCurrent(workspaceRoot: string, secretsDir: string, env: NodeJS.ProcessEnv): boolean {
  let recorded: Partial<KeysIndex>;
  try {
    recorded = JSON.parse(readFileSync(join(secretsDir, KEYS_INDEX_FILE), 'utf8')) as Partial<KeysIndex>;
  } catch {
    return false;
  }
  const now = currentIndex(workspaceRoot, secretsDir, env);
  return (
    recorded.version === 1 &&
    recorded.inputs === now.inputs &&
    recorded.tokens === now.tokens &&
    recorded.vars === now.vars
  );
}

/** Called by the key step once every key is in the vault; writes only when the note would change. */
export function recordKeysComplete(workspaceRoot: string, secretsDir: string, env: NodeJS.ProcessEnv): void {
  if (keysIndexIsCurrent(workspaceRoot, secretsDir, env)) return;
  const text = `${JSON.stringify(currentIndex(workspaceRoot, secretsDir, env), null, 2)}\n`;
  writeFileSync(join(secretsDir, KEYS_INDEX_FILE), text, { mode: 0o644 });
}
