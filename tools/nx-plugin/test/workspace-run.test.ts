// The README's main command, on a copy of this workspace: `nx run-many -t provision` builds the
// cloud in the sandbox, a second run changes nothing, and pure targets come from the cache.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, freshCloneEnv, NX, runNx } from './support/workspace-copy';

const readIfThere = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : 'absent');
/** Nx's line for a task it took from the cache (restoring its outputs, or finding them in place). */
const fromCache = (task: string) =>
  new RegExp(`nx run ${task}\\s+\\[(local cache|existing outputs match the cache, left as is)\\]`);

describe('npx nx run-many -t provision on a fresh copy', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;
  const nx = (...args: string[]) => runNx(work, env, ...args);

  beforeAll(() => {
    work = copyWorkspace('pc-workspace-');
    env = freshCloneEnv(work);
  });

  it('builds the sandbox cloud, then finds nothing to change', () => {
    const first = nx('run-many', '-t', 'provision');
    expect(first.code, first.out).toBe(0);
    expect(first.out).toContain('Plan: 19 to create, 0 to update, 0 to replace, 0 to delete.');
    expect(first.out).toMatch(/Applied: 19 created/);
    expect(first.out).toMatch(/keys: generated \d+ of \d+ key\(s\) into the vault's tokens/);
    expect(first.out).toMatch(/hosts: 8 node\(s\) deployed and Ready in/);
    expect(first.out).toMatch(/k8s-apps: 4 Flux Kustomizations Ready at [0-9a-f]{7} in/);
    const journal = readFileSync(join(work, '.sandbox/journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { step: string; node: string });
    expect(
      journal
        .filter((e) => e.step === 'install')
        .map((e) => e.node)
        .sort(),
    ).toEqual(['master-1', 'master-2', 'master-3', 'worker-1', 'worker-2', 'worker-3', 'worker-4', 'worker-5']);
    const vault = () =>
      ['state', 'vars', 'tokens', 'fingerprints']
        .map((doc) =>
          readIfThere(join(work, '.secrets/cluster', doc === 'fingerprints' ? 'fingerprints.json' : `${doc}.json.age`)),
        )
        .concat(execFileSync('git', ['rev-parse', 'HEAD'], { cwd: join(work, '.secrets'), encoding: 'utf8' }));
    const before = vault();
    // run-many hands --prune to every layer's provision: the layers above infra take it too, and with
    // the cloud matching the config it deletes nothing.
    const second = nx('run-many', '-t', 'provision', '--prune');
    expect(second.code, second.out).toBe(0);
    expect(second.out).toContain('No changes: the cloud matches the config.');
    // Every key is there and the key step's note says so: the plugin does not even start the step.
    expect(second.out).not.toContain('keys:');
    expect(second.out).toContain('hosts: no changes: all 8 node(s) run their configuration.');
    expect(second.out).toMatch(/k8s-apps: nothing to commit: .*gitops\.git holds this render/);
    // The one machine step a no-op makes: the builder asks Oxygen which generation it runs.
    const added = readFileSync(join(work, '.sandbox/journal.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .slice(journal.length)
      .map((line) => (JSON.parse(line) as { step: string }).step);
    expect(added).toEqual(['oxygen-probe']);
    // A no-op writes nothing to the vault: no new ciphertext, fingerprint or commit.
    expect(vault()).toEqual(before);
  }, 180_000);

  it('serves a second render entirely from the cache', () => {
    // The no-op provision before it wrote nothing to the vault, so what it rendered is what is cached.
    const again = nx('run-many', '-t', 'render');
    // Every render is a hit; the key step before them is no task (the plugin skips it: every key is there).
    expect(again.out).toMatch(/Cache:\s+5\/5 hit/);
    expect(again.out).not.toContain('keys:');
  }, 120_000);

  it('after an edit to one app, `nx affected` takes infra’s and hosts’ render and check from the cache', () => {
    const git = (...args: string[]) =>
      execFileSync('git', ['-c', 'user.name=test', '-c', 'user.email=test@localhost', ...args], { cwd: work, env });
    git('init', '-q');
    git('add', '-A');
    git('commit', '-qm', 'the workspace');
    const config = join(work, 'cluster.config.ts');
    const edited = readFileSync(config, 'utf8').replace(/(name: 'website',.*?replicas: )2,/, '$13,');
    expect(edited).toContain('replicas: 3,');
    writeFileSync(config, edited);
    git('commit', '-qam', 'website: 3 replicas');
    const affected = nx('affected', '-t', 'provision', '--base=HEAD~1');
    expect(affected.code, affected.out).toBe(0);
    for (const task of ['infra:render', 'infra:check', 'hosts:render', 'hosts:check'])
      expect(affected.out).toMatch(fromCache(task));
    // The apps' layer renders the new replicas; the builder reads apps (the cache's host), so it renders too.
    for (const task of ['k8s-apps:render', 'k8s-apps:check', 'builder:render'])
      expect(affected.out).not.toMatch(fromCache(task));
    expect(readFileSync(join(work, 'dist/k8s-apps/render/apps/website/deployment.yaml'), 'utf8')).toContain(
      'replicas: 3',
    );
  }, 150_000);

  it('writes the cost report with the seed’s figures', () => {
    const cost = nx('run', 'cluster:cost');
    expect(cost.code, cost.out).toBe(0);
    const report = JSON.parse(readFileSync(join(work, 'dist/cluster/cost.json'), 'utf8')) as {
      phases: { subtotals: { serversAndVolumes: number } }[];
    };
    expect(report.phases.map((p) => p.subtotals.serversAndVolumes)).toEqual([14.62, 24.49, 53.73, 207.97]);
  }, 60_000);

  it('prices with live /pricing when a token is set', async () => {
    const { startSandbox } = await import('@personal-cloud/sandbox');
    const sandbox = await startSandbox({ port: 0, dir: null, faults: '' });
    try {
      const live = await new Promise<{ code: number | null; out: string }>((done) => {
        const child = spawn(NX, ['run', 'cluster:cost'], {
          cwd: work,
          env: { ...env, HCLOUD_TOKEN: 'x'.repeat(64), HCLOUD_ENDPOINT: sandbox.url },
        });
        let out = '';
        child.stdout.on('data', (c: Buffer) => (out += c.toString()));
        child.stderr.on('data', (c: Buffer) => (out += c.toString()));
        child.on('close', (code) => done({ code, out }));
      });
      expect(live.code, live.out).toBe(0);
      expect(live.out).toContain('Hetzner /pricing for fsn1');
      expect(sandbox.stats().requests['GET /pricing']).toBe(1);
    } finally {
      await sandbox.stop();
    }
  }, 60_000);

  it('reports a bad flag in one line', () => {
    const bad = nx('run', 'infra:provision', '--bogus');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(
      'infra:provision does not take --bogus; allowed: --prune, --allow-destroy, --concurrency.',
    );
  }, 60_000);

  it('destroys only when confirmed, then sweeps everything away', () => {
    const refused = nx('run', 'infra:destroy');
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('pass --yes or set CLOUD_CONFIRM_DESTROY=personal-cloud to confirm');
    const destroyed = nx('run', 'infra:destroy', '--yes');
    expect(destroyed.code, destroyed.out).toBe(0);
    expect(destroyed.out).toContain(
      'Destroyed 19 resource(s). Sweep: no resource labelled managed-by=personal-cloud,cluster=personal-cloud remains.',
    );
  }, 120_000);
});
