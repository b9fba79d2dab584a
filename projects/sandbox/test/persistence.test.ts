// The world on disk: seen by later runs and other processes, written before each answer, and served
// by one process per directory at a time.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { findRunningSandbox, startSandbox, type RunningSandbox } from '../src/index';
import { describeContract, recordExchanges } from './contract';
import { HetznerClient, sshPublicKey } from './sandbox-fixture';

const workspace = fileURLToPath(new URL('../../..', import.meta.url));
const dirs: string[] = [];
const started: RunningSandbox[] = [];
const recorder = recordExchanges();

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sandbox-persist-'));
  dirs.push(dir);
  return join(dir, '.sandbox');
}

async function start(dir: string, options: Parameters<typeof startSandbox>[0] = {}) {
  const sandbox = await startSandbox({
    port: 0,
    dir,
    actionMs: 5,
    faults: '',
    onExchange: recorder.onExchange,
    ...options,
  });
  started.push(sandbox);
  return { sandbox, api: new HetznerClient(sandbox.url) };
}

afterAll(async () => {
  for (const sandbox of started) await sandbox.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('persistence', () => {
  it('shows a later run on the same directory the same servers, and continues the ids', async () => {
    const dir = tempDir();
    const first = await start(dir);
    const server = await first.api.createServer('kept', { labels: { managed: 'yes' } });
    await first.sandbox.stop();

    const second = await start(dir);
    const seen = (await second.api.get('/servers?label_selector=managed%3Dyes')).body.servers;
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      id: server.id,
      name: 'kept',
      status: 'running',
      public_net: { ipv4: { ip: server.public_net.ipv4.ip } },
    });
    const next = await second.api.createServer('next');
    expect(next.id).toBe(server.id + 1);
    expect(next.public_net.ipv4.ip).not.toBe(server.public_net.ipv4.ip);
    await second.sandbox.stop();
  });

  it('writes the world atomically before answering', async () => {
    const dir = tempDir();
    const { sandbox, api } = await start(dir);
    const created = await api.post('/ssh_keys', { name: 'on-disk', public_key: sshPublicKey() });
    expect(created.status).toBe(201);
    const world = JSON.parse(readFileSync(join(dir, 'world.json'), 'utf8'));
    expect(Object.values(world.ssh_keys).map((k: any) => k.name)).toEqual(['on-disk']);
    expect(readdirSync(dir).sort()).toEqual(['serve.json', 'world.json']);
    await sandbox.stop();
    expect(readdirSync(dir)).toEqual(['world.json']);
  });

  it('finishes actions that were running when the last run stopped, undoing a failed create', async () => {
    const dir = tempDir();
    let now = Date.UTC(2026, 5, 1);
    const clock = () => now;
    const first = await start(dir, { actionMs: 1000, clock, faults: 'action_error=1,seed=1' });
    const doomed = await first.api.post('/servers', { name: 'doomed', server_type: 'cpx11', image: 'debian-12' });
    expect(doomed.body.action.status).toBe('running');
    first.sandbox.setFaults('');
    const fine = await first.api.post('/volumes', { name: 'fine', size: 10, location: 'fsn1' });
    await first.sandbox.stop();

    now += 5000;
    const second = await start(dir, { actionMs: 1000, clock });
    expect((await second.api.get(`/actions/${doomed.body.action.id}`)).body.action).toMatchObject({
      status: 'error',
      error: { code: 'action_failed' },
    });
    expect((await second.api.get(`/servers/${doomed.body.server.id}`)).status).toBe(404);
    expect((await second.api.get('/primary_ips')).body.primary_ips).toEqual([]);
    expect((await second.api.get(`/actions/${fine.body.action.id}`)).body.action.status).toBe('success');
    expect((await second.api.get(`/volumes/${fine.body.volume.id}`)).body.volume.status).toBe('available');
    await second.sandbox.stop();
  });

  it('refuses a second live server on the same directory, naming its pid and url', async () => {
    const dir = tempDir();
    const { sandbox } = await start(dir);
    expect(await findRunningSandbox(dir)).toBe(sandbox.url);
    await expect(start(dir)).rejects.toThrow(
      `a sandbox is already serving ${dir}: process ${process.pid} at ${sandbox.url}`,
    );
    await sandbox.stop();
    expect(await findRunningSandbox(dir)).toBeUndefined();
  });

  it('ignores a stale serve.json: a dead pid, or a port that does not answer', async () => {
    const dir = tempDir();
    const { sandbox } = await start(dir);
    await sandbox.stop();
    writeFileSync(
      join(dir, 'serve.json'),
      JSON.stringify({ pid: 2 ** 22 + 12345, url: sandbox.url, startedAt: new Date().toISOString() }),
    );
    expect(await findRunningSandbox(dir)).toBeUndefined();
    writeFileSync(
      join(dir, 'serve.json'),
      JSON.stringify({ pid: process.pid, url: sandbox.url, startedAt: new Date().toISOString() }),
    );
    expect(await findRunningSandbox(dir)).toBeUndefined();
    const again = await start(dir);
    expect(await findRunningSandbox(dir)).toBe(again.sandbox.url);
    await again.sandbox.stop();
  });

  it('lets exactly one of two servers replace a stale or unreadable serve.json', async () => {
    for (const stale of [
      JSON.stringify({ pid: 2 ** 22 + 12345, url: 'http://127.0.0.1:9/v1', startedAt: new Date().toISOString() }),
      '{ torn',
    ]) {
      const dir = tempDir();
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'serve.json'), stale);
      const attempts = await Promise.allSettled([
        startSandbox({ port: 0, dir, faults: '' }),
        startSandbox({ port: 0, dir, faults: '' }),
      ]);
      const winners = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      const losers = attempts.flatMap((a) => (a.status === 'rejected' ? [a.reason as Error] : []));
      expect(winners).toHaveLength(1);
      expect(losers[0]?.message).toMatch(/a sandbox is already serving/);
      expect(await findRunningSandbox(dir)).toBe(winners[0]!.url);
      expect(readdirSync(dir).filter((f) => f.includes('takeover'))).toEqual([]);
      await winners[0]!.stop();
    }
  });

  it('names a corrupt world file and how to get past it', async () => {
    const dir = tempDir();
    const { sandbox } = await start(dir);
    await sandbox.stop();
    writeFileSync(join(dir, 'world.json'), '{"format":"something-else"}');
    await expect(start(dir)).rejects.toThrow(/world\.json is not a sandbox world .*move it away/);
  });
});

/** The first match of `pattern` in the child's output; rejects when the child exits without one. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<RegExpMatchArray> {
  return new Promise((resolvePromise, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = output.match(pattern);
      if (match) resolvePromise(match);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`the process exited (${code}) before printing ${pattern}; output: ${output}`)),
    );
  });
}

describe('the serve entry point in a separate process', () => {
  it('prints its url, records serve.json, shares its world, and removes the record on SIGTERM', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(workspace, 'projects/sandbox/src/serve.ts')], {
      cwd: workspace,
      env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_DIR: dir, SANDBOX_ACTION_MS: '5', SANDBOX_FAULTS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const [, url] = await waitForLine(child, /sandbox listening on (http:\/\/127\.0\.0\.1:\d+\/v1)\n/);
      expect(await findRunningSandbox(dir)).toBe(url);
      expect(JSON.parse(readFileSync(join(dir, 'serve.json'), 'utf8'))).toMatchObject({ pid: child.pid, url });
      await expect(start(dir)).rejects.toThrow(`process ${child.pid} at ${url}`);
      const api = new HetznerClient(url!);
      expect((await api.post('/networks', { name: 'from-child', ip_range: '10.0.0.0/16' })).status).toBe(201);
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    expect(existsSync(join(dir, 'serve.json'))).toBe(false);
    const { sandbox, api } = await start(dir);
    expect((await api.get('/networks?name=from-child')).body.networks).toHaveLength(1);
    await sandbox.stop();
  });

  it('exits with one sentence when SANDBOX_FAULTS is invalid', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', resolve(workspace, 'projects/sandbox/src/serve.ts')], {
      cwd: workspace,
      env: { ...process.env, SANDBOX_PORT: '0', SANDBOX_DIR: tempDir(), SANDBOX_FAULTS: 'chaos=1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const code = await new Promise((r) => child.once('exit', r));
    expect(code).toBe(1);
    expect(stderr).toContain(
      'SANDBOX_FAULTS: unknown key "chaos"; allowed keys are rate_limit, server_error, unavailable, action_error, reset, install_error, not_ready, slow_member, seed',
    );
  });
});

describeContract(recorder);
