// The service as `npx nx run sandbox:serve` runs it (`tsx projects/sandbox/src/serve.ts`), driven by
// Hetzner's own CLI, across a restart on the same directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { findRunningSandbox } from '../src/index';
import { runHcloud } from './hcloud-cli-runner';

const workspace = fileURLToPath(new URL('../../..', import.meta.url));
const home = mkdtempSync(join(tmpdir(), 'sandbox-serve-'));
const dir = join(home, '.sandbox');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(home, { recursive: true, force: true });
});

/** Starts serve.ts on a free port; resolves with the URL it announces. */
function serve(): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(join(workspace, 'node_modules/.bin/tsx'), ['projects/sandbox/src/serve.ts'], {
    cwd: workspace,
    env: { PATH: process.env.PATH, HOME: home, SANDBOX_PORT: '0', SANDBOX_DIR: dir, SANDBOX_ACTION_MS: '20' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const url = out.match(/sandbox listening on (http:\/\/127\.0\.0\.1:\d+\/v1)/)?.[1];
      if (url) resolve({ url, child });
    });
    child.on('exit', (code) => reject(new Error(`serve.ts exited with ${code}: ${out}`)));
  });
}

const hcloud = (url: string, ...args: string[]) => runHcloud(home, url, args);

const stopped = (child: ChildProcess) => new Promise((resolve) => child.once('exit', resolve));

describeWithTool('hcloud', 'sandbox:serve as a process, with the hcloud CLI', () => {
  it('serves the CLI, is found by other processes, and keeps its world across a restart', async () => {
    const first = await serve();
    expect(await findRunningSandbox(dir)).toBe(first.url);
    expect(
      await hcloud(
        first.url,
        'server',
        'create',
        '--name',
        'kept',
        '--type',
        'cpx11',
        '--image',
        'ubuntu-24.04',
        '--location',
        'fsn1',
      ),
    ).toMatch(/Server \d+ created/);
    expect(await hcloud(first.url, 'volume', 'create', '--name', 'data', '--size', '10', '--location', 'fsn1')).toMatch(
      /Volume \d+ created/,
    );
    first.child.kill('SIGTERM');
    await stopped(first.child);
    expect(await findRunningSandbox(dir)).toBeUndefined();

    const second = await serve();
    expect(await hcloud(second.url, 'server', 'list', '-o', 'noheader', '-o', 'columns=name,status')).toMatch(
      /kept\s+running/,
    );
    expect(await hcloud(second.url, 'volume', 'list', '-o', 'noheader', '-o', 'columns=name')).toMatch(/data/);
    second.child.kill('SIGTERM');
    await stopped(second.child);
  }, 60_000);
});
