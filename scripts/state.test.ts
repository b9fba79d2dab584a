// End to end: scripts/state.ts run under tsx's loader as an operator would (one node process, not
// the `tsx` wrapper and its child), against temp dirs only.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { describeNeeding, describeWithTool } from '../tools/test-support/external-tools';
import { startTsx, type Child } from '../projects/vault/test/support/child-process';
import { writeNewIdentity } from '../projects/vault/test/support/temp-vault';
import { snapshotTree } from '../projects/vault/test/support/tree-snapshot';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EDITOR_SCRIPT = join(ROOT, 'projects/vault/test/fixtures/editor.mjs');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const RUN_SCRIPT = join(ROOT, 'tools/nx-plugin/src/run-script.mjs');
const HOLD_LOCK = join(ROOT, 'projects/vault/test/fixtures/hold-lock.ts');

let root: string;
let env: NodeJS.ProcessEnv;
let tempDir: string;
const children: Child[] = [];
const secrets = () => env.CLOUD_SECRETS_DIR!;
const identity = () => env.CLOUD_AGE_IDENTITY!;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'state-script-test-'));
  // Its own folder for secure temp files: other test files' runs sweep the shared /dev/shm for
  // leftovers of dead processes, and would take this test's SIGKILL leftover before it looks.
  tempDir = await mkdtemp(join(existsSync('/dev/shm') ? '/dev/shm' : root, 'state-script-test-'));
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
    CLOUD_TEMP_DIR: tempDir,
  };
});
afterEach(async () => {
  for (const child of children.splice(0)) child.process.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
  await rm(tempDir, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function state(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  // As `npm run state` starts it: one node process, from the script's bundle (rebuilt when a source changes).
  return run(process.execPath, [RUN_SCRIPT, 'scripts/state.ts', ...args], extraEnv);
}

function run(command: string, args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
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
const subjects = () =>
  execFileSync('git', ['-C', secrets(), 'log', '--format=%s'], { encoding: 'utf8' }).trim().split('\n');

describe('scripts/state.ts', () => {
  it('show on first use creates the identity and the repo, and prints the empty state', async () => {
    const run = await state(['show']);
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ version: 1, layers: {} });
    expect(run.stderr).toContain(`Created a new age identity at ${identity()}`);
    expect(run.stderr).toMatch(
      new RegExp(`Created the secrets repo ${secrets()}, encrypted to age1\\w+ \\(its recipients\\.txt\\)\\.`),
    );
    expect(existsSync(join(secrets(), '.git'))).toBe(true);
    expect(subjects()).toEqual(['Initialize the secrets repository']);
  });

  it('edit writes a valid change through $EDITOR, validated, committed, readable by show', async () => {
    const run = await edit('vars', {
      EDITOR_ACTION: 'set',
      EDITOR_JSON: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.11","hetzner_id":"42"}}}',
    });
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
    const run = await edit('vars', {
      EDITOR_ACTION: 'replace',
      EDITOR_TEXT: '{"CLUSTER":{"MASTER_1":{"ip":{"v4":null}}}}',
      EDITOR_REPORT: '',
    });
    expectOneLineError(
      run,
      /^error: your edit of vars does not match the vars schema at CLUSTER\.MASTER_1\.ip\.v4: .*; nothing was written, so run edit again to fix it\.$/,
    );
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

  // Issue 11, defect 6: a mistyped CLOUD_SECRETS_DIR must not become an empty vault against Hetzner.
  it('in the Hetzner world (HCLOUD_TOKEN set) a missing vault is reported, naming state init, and nothing is made', async () => {
    for (const args of [['show'], ['edit', 'vars'], ['rotate'], ['commit']]) {
      const run = await state(args, { HCLOUD_TOKEN: 'x', EDITOR: editor });
      expectOneLineError(
        run,
        new RegExp(
          `^error: ${secrets()} holds no vault \\(no secrets repo there\\); check CLOUD_SECRETS_DIR, or create one with \`npm run state -- init\`\\.$`,
        ),
      );
    }
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
    const encrypted = execFileSync('age', ['-e', '-a', '-R', join(secrets(), 'recipients.txt')], {
      input: '{"CLUSTER":{"MASTER_1":{"ip":"10.0.1.12"}}}',
    });
    await writeFile(join(secrets(), 'cluster/vars.json.age'), encrypted);
    const diff = await state(['diff', 'vars']);
    expect(diff.code, diff.stderr).toBe(0);
    expect(diff.stdout).toBe(
      '--- HEAD:cluster/vars.json.age\n+++ cluster/vars.json.age (working file)\n~ CLUSTER.MASTER_1.ip: "10.0.1.11" → "10.0.1.12"\n',
    );
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
    expect(run.stdout).toMatch(
      /^Rotated the age identity: 1 document\(s\) re-encrypted to age1\w+; the old key is kept in .*age-identity\.txt\.old for reading history\.\n$/,
    );
    expect(await readFile(`${identity()}.old`, 'utf8')).toBe(oldIdentity);
    const printed = execFileSync('age', ['-d', '-i', identity(), join(secrets(), 'cluster/vars.json.age')], {
      encoding: 'utf8',
    });
    expect(JSON.parse(printed)).toEqual({ A: 'b' });
    expect(JSON.parse((await state(['show', 'vars'])).stdout)).toEqual({ A: 'b' });
  });
});

describeWithTool('age-keygen', 'state init with age-keygen', () => {
  it('adopts an identity age-keygen made, named by CLOUD_AGE_IDENTITY', async () => {
    const keyFile = join(root, 'keygen.txt');
    execFileSync('age-keygen', ['-o', keyFile], { stdio: 'ignore' });
    const recipient = execFileSync('age-keygen', ['-y', keyFile], { encoding: 'utf8' }).trim();
    const run = await state(['init'], { HCLOUD_TOKEN: 'x', CLOUD_AGE_IDENTITY: keyFile });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(
      `encrypted to ${recipient} (recipients.txt).\nYour age identity (the one that was there, adopted) is ${keyFile}; back it up`,
    );
    expect(existsSync(identity())).toBe(false);
  });
});

// Issue 11, defect 13: the Hetzner world's first step.
describe('state init', () => {
  const hetzner = { HCLOUD_TOKEN: 'x' };

  it('creates the identity, recipients.txt and the repo, prints the public key and where the identity is, and says to back it up', async () => {
    const run = await state(['init'], hetzner);
    expect(run.code, run.stderr).toBe(0);
    const recipient = (await readFile(identity(), 'utf8')).match(/# public key: (age1\w+)/)![1]!;
    expect(run.stdout).toBe(
      `Created the secrets repo ${secrets()}, encrypted to ${recipient} (recipients.txt).\n` +
        `Your age identity (new) is ${identity()}; back it up somewhere safe now, since nothing in the secrets repo can be read without it.\n` +
        'Next: npm run state -- edit vars\n',
    );
    expect((await stat(identity())).mode & 0o777).toBe(0o600);
    expect(await readFile(join(secrets(), 'recipients.txt'), 'utf8')).toContain(`\n${recipient}\n`);
    expect(subjects()).toEqual(['Initialize the secrets repository']);
    expect(JSON.parse((await state(['show', 'vars'], hetzner)).stdout)).toEqual({});
  });

  it('refuses to run again, and changes nothing', async () => {
    await state(['init'], hetzner);
    const before = await snapshotTree(root);
    expectOneLineError(
      await state(['init'], hetzner),
      new RegExp(`^error: ${secrets()} already holds a secrets repo; init refuses to overwrite anything`),
    );
    expect(await snapshotTree(root)).toEqual(before);
  });

  it('adopts an existing identity instead of replacing it', async () => {
    await mkdir(join(root, 'identity'));
    const recipient = await writeNewIdentity(identity());
    const text = await readFile(identity(), 'utf8');
    const run = await state(['init'], hetzner);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`encrypted to ${recipient} (recipients.txt)`);
    expect(run.stdout).toContain(`Your age identity (the one that was there, adopted) is ${identity()}`);
    expect(await readFile(identity(), 'utf8')).toBe(text);
  });
});

describe('a vault that is not whole', () => {
  // Issue 11, defect 2.
  it("a missing identity is not made for an existing repo: the repo's recipients are named, nothing is written", async () => {
    await state(['show']);
    const recipient = (await readFile(identity(), 'utf8')).match(/# public key: (age1\w+)/)![1]!;
    await rename(identity(), `${identity()}.moved`);
    const before = await snapshotTree(root);
    for (const extra of [{}, { CLOUD_AGE_IDENTITY: join(root, 'nowhere', 'id.txt') }]) {
      const run = await state(['show'], extra);
      const path = (extra as NodeJS.ProcessEnv).CLOUD_AGE_IDENTITY ?? identity();
      expectOneLineError(
        run,
        new RegExp(
          `^error: the age identity ${path} does not exist, and the secrets repo ${secrets()} is encrypted to ${recipient}; `,
        ),
      );
    }
    expect(await snapshotTree(root)).toEqual(before);
  });

  // Issue 11, defect 5.
  it('without .git, reads create no repository; the error names both ways out, and commit --init starts a new history', async () => {
    await edit('vars', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"A":"b"}' });
    await rm(join(secrets(), '.git'), { recursive: true });
    for (const args of [['show', 'vars'], ['diff', 'vars'], ['commit']]) {
      expectOneLineError(
        await state(args),
        new RegExp(
          `^error: ${secrets()} holds vault files \\(recipients\\.txt, cluster/vars\\.json\\.age[^)]*\\) but no \\.git, so its history is missing; restore its \\.git from a backup or clone, or start a new history with \`npm run state -- commit --init\`\\.$`,
        ),
      );
      expect(existsSync(join(secrets(), '.git'))).toBe(false);
    }
    const init = await state(['commit', '--init']);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stdout).toMatch(
      /^Committed .*cluster\/vars\.json\.age.*: Start a new history from the files on disk: /,
    );
    expect(subjects()).toHaveLength(1);
    expect(execFileSync('git', ['-C', secrets(), 'status', '--porcelain'], { encoding: 'utf8' })).toBe('');
    expect(JSON.parse((await state(['show', 'vars'])).stdout)).toEqual({ A: 'b' });
    expectOneLineError(
      await state(['commit', '--init']),
      /already has a \.git; run `npm run state -- commit` without --init\.$/,
    );
  });

  // Issue 11, defect 7.
  it('CLOUD_SECRETS_DIR at a file, or under one, is one sentence naming it (ENOTDIR)', async () => {
    const file = join(root, 'not-a-dir');
    await writeFile(file, 'x');
    expectOneLineError(
      await state(['show'], { CLOUD_SECRETS_DIR: file }),
      new RegExp(`^error: the secrets repo ${file} is a file, not a directory; .*\\(ENOTDIR\\)\\.$`),
    );
    expectOneLineError(
      await state(['edit', 'vars'], { CLOUD_SECRETS_DIR: join(file, 'secrets'), EDITOR: editor }),
      new RegExp(`^error: the secrets repo ${file}/secrets lies under a file, not a directory; `),
    );
  });
});

/**
 * Runs the state script with the secrets dir read-only, honestly: as root (whom chmod does not
 * stop) through a read-only bind mount in a private mount namespace; otherwise with chmod 0500.
 */
const canUnshare = (() => {
  if (process.getuid?.() !== 0) return false;
  try {
    execFileSync(
      'unshare',
      [
        '-m',
        'sh',
        '-c',
        'd=$(mktemp -d) && mount --bind "$d" "$d" && mount -o remount,ro,bind "$d" "$d"; s=$?; rmdir "$d"; exit $s',
      ],
      { stdio: 'ignore' },
    );
    return true;
  } catch {
    return false;
  }
})();
const READ_ONLY_SH = 'mount --bind "$1" "$1" && mount -o remount,ro,bind "$1" "$1" && shift && exec "$@"';

describeNeeding(
  {
    what: 'a way to make a directory read-only (unshare -m as root, or a non-root user)',
    available: canUnshare || process.getuid?.() !== 0,
  },
  'a read-only secrets dir',
  () => {
    it('edit, rotate and infra:provision say so in one sentence naming the directory, and change nothing', async () => {
      await edit('vars', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"A":"b"}' });
      const before = await snapshotTree(root);
      const readOnly = async (args: string[]): Promise<Run> => {
        if (!canUnshare) {
          await chmod(secrets(), 0o500);
          try {
            return await state(args, { EDITOR: editor, EDITOR_ACTION: 'set', EDITOR_JSON: '{"A":"c"}' });
          } finally {
            await chmod(secrets(), 0o700);
          }
        }
        return run(
          'unshare',
          ['-m', 'sh', '-c', READ_ONLY_SH, 'sh', secrets(), process.execPath, RUN_SCRIPT, 'scripts/state.ts', ...args],
          {
            EDITOR: editor,
            EDITOR_ACTION: 'set',
            EDITOR_JSON: '{"A":"c"}',
          },
        );
      };
      const code = canUnshare ? 'EROFS' : 'EACCES';
      const problem = canUnshare ? 'is on a read-only file system' : 'is not writable by this user';
      const sentence = new RegExp(
        `^error: ${secrets()} ${problem} \\(${code}\\), so nothing could be written there; make it writable, nothing was changed\\.$`,
      );
      for (const args of [['edit', 'vars'], ['rotate']]) expectOneLineError(await readOnly(args), sentence);
      // infra:provision, as Nx runs it: its first write (the vault lock) meets the same wall.
      const provision = ['tools/nx-plugin/src/run-target.ts', 'projects/infra', 'provision'];
      const provisionEnv = { CI: 'true', NO_COLOR: '1', SANDBOX_DIR: join(root, 'sandbox') };
      const provisioned = canUnshare
        ? await run('unshare', ['-m', 'sh', '-c', READ_ONLY_SH, 'sh', secrets(), TSX, ...provision], provisionEnv)
        : await (async () => {
            await chmod(secrets(), 0o500);
            try {
              return await run(TSX, provision, provisionEnv);
            } finally {
              await chmod(secrets(), 0o700);
            }
          })();
      expect(
        provisioned.stderr
          .trimEnd()
          .split('\n')
          .filter((line) => line.startsWith('error: ')),
      ).toEqual([expect.stringMatching(sentence)]);
      expect(provisioned.code).toBe(1);
      expect(await snapshotTree(root)).toEqual(before);
    });
  },
);

// Issue 11, defect 1: an interrupted edit leaves no plaintext and no lock behind.
describe('an interrupted edit', () => {
  /** `npm run -s state -- edit tokens` in a process group of its own, with an editor that waits until it is killed. */
  async function blockedEdit() {
    const child = spawn('npm', ['run', '-s', 'state', '--', 'edit', 'tokens'], {
      cwd: ROOT,
      env: { ...env, EDITOR: editor, EDITOR_ACTION: 'block' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const editing = new Promise<string>((resolve, reject) => {
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        const file = /^editing (.+)$/m.exec(stdout)?.[1];
        if (file) resolve(file);
      });
      child.on('exit', () => reject(new Error(`the edit ended before the editor opened: ${stderr}`)));
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    const groupAlive = () => {
      try {
        process.kill(-child.pid!, 0);
        return true;
      } catch {
        return false;
      }
    };
    return {
      file: await editing,
      kill: (signal: NodeJS.Signals) => process.kill(-child.pid!, signal),
      /** Resolves when no process of the group is left: the vault's process may outlive npm's for a moment. */
      async gone() {
        await exited;
        while (groupAlive()) await new Promise((resolve) => setTimeout(resolve, 5));
      },
    };
  }

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'by %s removes the decrypted file and its folder, and releases the lock',
    async (signal) => {
      await edit('tokens', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"hcloud":"secret-token"}' });
      const edit1 = await blockedEdit();
      const folder = dirname(edit1.file);
      expect(basename(folder)).toMatch(/^personal-cloud-\d+-[0-9a-f]{12}$/);
      expect((await stat(folder)).mode & 0o777).toBe(0o700);
      expect((await stat(edit1.file)).mode & 0o777).toBe(0o600);
      expect(await readFile(edit1.file, 'utf8')).toContain('secret-token');
      expect(existsSync(join(secrets(), '.lock'))).toBe(true);
      edit1.kill(signal);
      await edit1.gone();
      expect(existsSync(folder)).toBe(false);
      expect(existsSync(join(secrets(), '.lock'))).toBe(false);
    },
  );

  it('by SIGKILL is cleaned up by the next state command, which says so', async () => {
    await edit('tokens', { EDITOR_ACTION: 'set', EDITOR_JSON: '{"hcloud":"secret-token"}' });
    const edit1 = await blockedEdit();
    const folder = dirname(edit1.file);
    edit1.kill('SIGKILL');
    await edit1.gone();
    expect(existsSync(edit1.file)).toBe(true);
    expect(existsSync(join(secrets(), '.lock'))).toBe(true);
    const show = await state(['show', 'tokens']);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stderr).toContain(
      `Removed a leftover temp folder of an interrupted run, which held decrypted secrets: ${folder}.`,
    );
    expect(existsSync(folder)).toBe(false);
    const again = await edit('tokens', { EDITOR_ACTION: 'keep' });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toMatch(/warning: removed the stale lock .*\.lock of pid \d+ .*for "edit tokens"/);
    expect(existsSync(join(secrets(), '.lock'))).toBe(false);
  });
});
