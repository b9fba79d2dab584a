// End to end: scripts/state.ts run under tsx's loader as an operator would (one node process, not
// the `tsx` wrapper and its child), against temp dirs only.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeWithTool } from '../tools/test-support/external-tools';
import { startTsx, type Child } from '../projects/vault/test/support/child-process';
import { snapshotTree } from '../projects/vault/test/support/tree-snapshot';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EDITOR_SCRIPT = join(ROOT, 'projects/vault/test/fixtures/editor.mjs');
const HOLD_LOCK = join(ROOT, 'projects/vault/test/fixtures/hold-lock.ts');

let root: string;
let env: NodeJS.ProcessEnv;
const children: Child[] = [];
const secrets = () => env.CLOUD_SECRETS_DIR!;
const identity = () => env.CLOUD_AGE_IDENTITY!;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'state-script-test-'));
  await writeFile(join(root, 'gitconfig'), '');
  // Nothing from the developer's environment: no HCLOUD_TOKEN, no git identity, no editor.
  env = {
    PATH: process.env.PATH,
    HOME: join(root, 'home'),
    CLOUD_SECRETS_DIR: join(root, 'secrets'),
    CLOUD_AGE_IDENTITY: join(root, 'identity', 'age-identity.txt'),
    GIT_CONFIG_GLOBAL: join(root, 'gitconfig'),
    GIT_CONFIG_NOSYSTEM: '1',
    EDITOR_REPORT: join(root, 'editor-report.jsonl'),
  };
});
afterEach(async () => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function state(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/state.ts', ...args], { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      resolve({ code, stdout, stderr });
    });
  });
}

/** The operator-facing failure: exit 1 and exactly one line, `error: <one sentence>.`, no stack. */
function expectOneLineError(run: Run, pattern: RegExp): void {
  expect(run.code, run.stderr).toBe(1);
  const lines = run.stderr.trimEnd().split('\n');
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toMatch(/^error: .*\.$/);
  expect(lines[0]).toMatch(pattern);
}

const editor = `"${process.execPath}" "${EDITOR_SCRIPT}"`;
const edit = (doc: string, action: Record<string, string>) => state(['edit', doc], { EDITOR: editor, ...action });
const subjects = () => execFileSync('git', ['-C', secrets(), 'log', '--format=%s'], { encoding: 'utf8' }).trim().split('\n');

describe('scripts/state.ts', () => {
  it('show on first use creates the identity and the repo, and prints the empty state', async () => {
    const run = await state(['show']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ version: 1, layers: {} });
    expect(run.stderr).toContain(`Created a new age identity at ${identity()}`);
    expect(existsSync(join(secrets(), '.git'))).toBe(true);
    expect(subjects()).toEqual(['Initialize the secrets repository']);
  });

  it('edit writes a valid change through $EDITOR, validated, committed, readable by show', async () => {
    const run = await edit('vars', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.11","hetzner_id":"42"}}}' });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('vars: written and committed (Edit vars by hand: CLUSTER).\n');
    const shown = await state(['show', 'vars']);
    expect(JSON.parse(shown.stdout)).toEqual({ CLUSTER: { MASTER_1: { ip: '10.0.1.11', hetzner_id: '42' } } });
    expect(subjects()[0]).toBe('Edit vars by hand: CLUSTER');
    const report = JSON.parse((await readFile(env.EDITOR_REPORT!, 'utf8')).trim()) as { file: string; mode: string };
    expect(report.file).toMatch(/^(\/dev\/shm|\/run)\//);
    expect(report.mode).toBe('600');
    expect(existsSync(report.file)).toBe(false);
  });

  it('edit refuses an invalid change with the field path, exit 1, and writes nothing', async () => {
    await edit('vars', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.11"}}}' });
    const before = await snapshotTree(root);
    const run = await edit('vars', { EDITOR_ACTION: 'replace', EDITOR_TEXT: '{"CLUSTER":{"MASTER_1":{"ip":{"v4":null}}}}', EDITOR_REPORT: '' });
    expectOneLineError(run, /^error: your edit of vars does not match the vars schema at CLUSTER\.MASTER_1\.ip\.v4: .*; nothing was written, so run edit again to fix it\.$/);
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('edit writes nothing when the document is unchanged', async () => {
    await state(['show']);
    const before = await snapshotTree(secrets());
    const run = await edit('state', { EDITOR_ACTION: 'keep' });
    expect(run.stdout).toBe('state: unchanged; nothing was written.\n');
    expect(await snapshotTree(secrets())).toEqual(before);
  });

  it('edit is refused while another process holds the lock, before the editor opens', async () => {
    await state(['show']);
    const holder = startTsx(HOLD_LOCK, [secrets(), identity(), 'provision infra'], { ...process.env, ...env });
    children.push(holder);
    const pid = (await holder.waitForLine(/^locked \d+$/)).split(' ')[1];
    const run = await edit('vars', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"A":"b"}' });
    expectOneLineError(run, new RegExp(`locked by pid ${pid} on host .* for "provision infra"`));
    expect(existsSync(env.EDITOR_REPORT!)).toBe(false);
  });

  it('in the Hetzner world (HCLOUD_TOKEN set) a missing identity is an error, not created', async () => {
    const run = await state(['show'], { HCLOUD_TOKEN: 'x' });
    expectOneLineError(run, new RegExp(`the age identity ${identity()} does not exist`));
    expect(existsSync(identity())).toBe(false);
    expect(existsSync(secrets())).toBe(false);
  });

  it('show reports a damaged document in one line and exits 1', async () => {
    await edit('tokens', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"hcloud":"t"}' });
    const file = join(secrets(), 'cluster/tokens.json.age');
    await writeFile(file, (await readFile(file, 'utf8')).slice(0, 120));
    expectOneLineError(await state(['show', 'tokens']), /tokens\.json\.age is truncated/);
  });

  it('prints usage and exits 2 without a command', async () => {
    const run = await state([]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^usage: state\.ts show/);
  });
});

describeWithTool('age', 'scripts/state.ts with the age CLI', () => {
  it('diff shows a hand re-encryption against HEAD, and commit commits it', async () => {
    await edit('vars', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.11"}}}' });
    const encrypted = execFileSync('age', ['-e', '-a', '-R', join(secrets(), 'recipients.txt')], { input: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.12"}}}' });
    await writeFile(join(secrets(), 'cluster/vars.json.age'), encrypted);
    const diff = await state(['diff', 'vars']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toBe('--- HEAD:cluster/vars.json.age\n+++ cluster/vars.json.age (working file)\n~ CLUSTER.MASTER_1.ip: "10.0.1.11" → "10.0.1.12"\n');
    const commit = await state(['commit', 'Move', 'master 1']);
    expect(commit.stdout).toBe('Committed cluster/vars.json.age: Move master 1\n');
    expect(subjects()[0]).toBe('Move master 1');
    expect((await state(['diff', 'vars'])).stdout).toBe('cluster/vars.json.age: no differences from HEAD.\n');
  });

  it('rotate re-encrypts everything to a new identity the age CLI can use', async () => {
    await edit('vars', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"A":"b"}' });
    const oldIdentity = await readFile(identity(), 'utf8');
    const run = await state(['rotate']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^Rotated the age identity: 1 document\(s\) re-encrypted to age1\w+; the old key is kept in .*age-identity\.txt\.old for reading history\.\n$/);
    expect(await readFile(`${identity()}.old`, 'utf8')).toBe(oldIdentity);
    const printed = execFileSync('age', ['-d', '-i', identity(), join(secrets(), 'cluster/vars.json.age')], { encoding: 'utf8' });
    expect(JSON.parse(printed)).toEqual({ A: 'b' });
    expect(JSON.parse((await state(['show', 'vars'])).stdout)).toEqual({ A: 'b' });
  });
});
