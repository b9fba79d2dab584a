// Through real `nx` on a copy of the workspace: a failed chain exits 1, an interrupted run 130,
// and an interrupted or orphaned provision stops at a safe point, leaves no process behind,
// releases the vault lock and converges on the rerun. Sandbox actions take long here, so every
// interruption lands while provision is mid-flight (the test waits for its first progress line).
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, NX } from './support/workspace-copy';

const plain = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');

/** Pids of the processes working in `dir`: nx, the shells it starts, the targets. */
function processesIn(dir: string): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => {
      try {
        return readlinkSync(`/proc/${pid}/cwd`) === dir;
      } catch {
        return false; // gone meanwhile, or not ours to read
      }
    });
}

/** Resolves once no process works in `dir` any more: an orphan has to notice on its own. */
async function allGone(dir: string): Promise<void> {
  while (processesIn(dir).length) await new Promise((r) => setTimeout(r, 50));
}

interface Started {
  child: ChildProcess;
  /** Resolves with the output so far once `pattern` appears in it, while nx still runs. */
  waitFor(pattern: RegExp): Promise<string>;
  done: Promise<{ code: number | null; out: string }>;
}

function startNx(cwd: string, env: NodeJS.ProcessEnv, args: string[]): Started {
  // Its own process group, as a shell's foreground job: a "Ctrl-C" is SIGINT to the group.
  const child = spawn(NX, args, { cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const waiters: { pattern: RegExp; resolve: (out: string) => void; reject: (e: Error) => void }[] = [];
  const onData = (chunk: Buffer) => {
    out += chunk.toString();
    for (const w of [...waiters]) {
      if (!w.pattern.test(plain(out))) continue;
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(plain(out));
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const done = new Promise<{ code: number | null; out: string }>((resolve) =>
    child.on('close', (code) => {
      for (const w of waiters) w.reject(new Error(`nx ended before ${w.pattern} appeared:\n${plain(out)}`));
      resolve({ code, out: plain(out) });
    }),
  );
  return {
    child,
    done,
    waitFor: (pattern) =>
      pattern.test(plain(out))
        ? Promise.resolve(plain(out))
        : new Promise((resolve, reject) => waiters.push({ pattern, resolve, reject })),
  };
}

/** PlainProgress's line for a step that has started: `  server/worker-1: create`. */
const STEP_STARTED = /^ {2}[a-z_]+\/[a-z0-9-]+: create$/m;

describe('nx exit codes and interruptions', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  const nx = (...args: string[]) => {
    const result = spawnSync(NX, args, { cwd: work, env: { ...env, SANDBOX_ACTION_MS: '20' }, encoding: 'utf8' });
    return { code: result.status, out: plain(`${result.stdout}${result.stderr}`) };
  };
  const lock = () => join(work, '.secrets', '.lock');

  beforeAll(() => {
    work = copyWorkspace('pc-interrupt-');
    env = {
      PATH: process.env.PATH,
      HOME: join(work, '.home'),
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      CI: 'true',
      SANDBOX_ACTION_MS: '1500',
    };
  });

  it('exits 1, not 130, when a task fails and the tasks after it are skipped', () => {
    const bad = join(work, 'bad.config.ts');
    writeFileSync(bad, "export default { name: 'Not A Name' };\n");
    const chain = spawnSync(NX, ['run', 'infra:provision'], {
      cwd: work,
      env: { ...env, CLOUD_CONFIG: bad },
      encoding: 'utf8',
    });
    expect(plain(chain.stdout + chain.stderr)).toContain('is not a valid cluster description');
    expect(chain.status).toBe(1);
    const many = spawnSync(NX, ['run-many', '-t', 'provision'], {
      cwd: work,
      env: { ...env, CLOUD_CONFIG: bad },
      encoding: 'utf8',
    });
    expect(many.status).toBe(1);
  }, 120_000);

  // Each signal lands mid-flight, in a cloud taken down first, and must leave no process and no
  // lock behind. Two cases also rerun to convergence: Ctrl-C through the whole graph, as a user
  // does it, and nx killed outright. SIGTERM and SIGHUP take nx's own path for a signal, as Ctrl-C.
  const interruptions: [string, string[], (nx: ChildProcess) => void, number | null, boolean][] = [
    ['SIGTERM to nx', ['run', 'infra:provision'], (nx) => process.kill(nx.pid!, 'SIGTERM'), 130, false],
    ['SIGHUP to nx', ['run', 'infra:provision'], (nx) => process.kill(nx.pid!, 'SIGHUP'), 130, false],
    [
      'Ctrl-C (SIGINT to the foreground process group)',
      ['run-many', '-t', 'provision'],
      (nx) => process.kill(-nx.pid!, 'SIGINT'),
      130,
      true,
    ],
    // nx cannot pass anything on: the provision notices that nx is gone.
    ['SIGKILL to nx', ['run', 'infra:provision'], (nx) => process.kill(nx.pid!, 'SIGKILL'), null, true],
  ];

  it.each(interruptions)(
    '%s stops provision at a safe point',
    async (_how, args, interrupt, nxCode, converge) => {
      // Whatever the case before left, complete or half made: take it down, so there is work to interrupt.
      if (existsSync(join(work, '.sandbox'))) expect(nx('run', 'infra:destroy', '--yes').code).toBe(0);
      const run = startNx(work, env, args);
      await run.waitFor(STEP_STARTED);
      interrupt(run.child);
      const { code } = await run.done;
      expect(code).toBe(nxCode);
      await allGone(work);
      expect(existsSync(lock()), 'the vault lock is released').toBe(false);
      if (!converge) return;

      const rerun = nx('run', 'infra:provision');
      expect(rerun.code, rerun.out).toBe(0);
      expect(rerun.out).toMatch(/Applied: \d+ created/);
      const again = nx('run', 'infra:provision');
      expect(again.out).toContain('No changes: the cloud matches the config.');
    },
    240_000,
  );

  it('an interrupted provision says so and exits 130 itself', async () => {
    // Run as Nx runs it, to read its own words and code (nx silences a task's output on Ctrl-C).
    if (existsSync(join(work, '.sandbox'))) expect(nx('run', 'infra:destroy', '--yes').code).toBe(0);
    const child = spawn('node', ['tools/nx-plugin/src/run-target.mjs', 'projects/infra', 'provision'], {
      cwd: work,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    const started = new Promise<void>((resolve) =>
      child.stdout.on('data', (chunk: Buffer) => {
        out += chunk.toString();
        if (STEP_STARTED.test(plain(out))) resolve();
      }),
    );
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const code = new Promise<number | null>((resolve) => child.on('close', resolve));
    await started;
    child.kill('SIGTERM');
    expect(await code, out).toBe(130);
    expect(plain(out)).toContain('interrupted (SIGTERM received): stopped at a safe point');
    expect(existsSync(lock())).toBe(false);
  }, 120_000);
});

describe('long-running targets speak at once through nx', () => {
  it('sandbox:serve prints its listening line into a pipe while it runs', async () => {
    const work = copyWorkspace('pc-serve-');
    const env = {
      PATH: process.env.PATH,
      HOME: join(work, '.home'),
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      CI: 'true',
      SANDBOX_PORT: '0',
    };
    const serve = startNx(work, env, ['run', 'sandbox:serve']);
    try {
      const out = await serve.waitFor(/sandbox listening on http:\/\/127\.0\.0\.1:\d+\/v1/);
      expect(serve.child.exitCode, out).toBeNull();
    } finally {
      process.kill(-serve.child.pid!, 'SIGINT');
      await serve.done;
      await allGone(work);
    }
  }, 120_000);
});
