// `nx run-many -t destroy` on a copy of this workspace: one question for the whole run, then the
// layers torn down in reverse (k8s-apps → hosts → builder → infra), infra last.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, freshCloneEnv, NX, WORKSPACE } from './support/workspace-copy';

const plain = (text: string) => text.replace(/\r/g, '').replace(/\x1b\[[0-9;?]*[a-zA-Z]/g, '');
// `script` (util-linux) gives nx a terminal, as an operator's shell does: the one way to see the question asked.
const hasScript = spawnSync('script', ['--version']).status === 0;

describe('nx run-many -t destroy', () => {
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(() => {
    work = copyWorkspace('pc-destroy-');
    env = freshCloneEnv(work);
  });

  it('makes each layer’s destroy wait for the layers built on it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'pc-destroy-graph-')), 'tasks.json');
    execFileSync(NX, ['run-many', '-t', 'destroy', `--graph=${file}`], {
      cwd: WORKSPACE,
      env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    });
    const graph = JSON.parse(readFileSync(file, 'utf8')) as { tasks: { dependencies: Record<string, string[]> } };
    expect(graph.tasks.dependencies).toEqual({
      'k8s-apps:destroy': [],
      'hosts:destroy': ['k8s-apps:destroy'],
      'builder:destroy': ['hosts:destroy'],
      'infra:destroy': ['builder:destroy'],
    });
  }, 60_000);

  it('without a terminal, --yes or CLOUD_CONFIRM_DESTROY, stops before any layer runs', () => {
    const run = spawnSync(NX, ['run-many', '-t', 'destroy'], { cwd: work, env, encoding: 'utf8', stdio: 'pipe' });
    const out = plain(`${run.stdout}${run.stderr}`);
    expect(run.status, out).toBe(1);
    expect(out).toContain('pass --yes or set CLOUD_CONFIRM_DESTROY=personal-cloud to confirm');
    expect(out).not.toContain(':destroy —');
    expect(out).not.toContain('Destroyed');
    expect(existsSync(join(work, '.secrets')), 'a refused destroy creates no vault').toBe(false);
  }, 60_000);

  it.skipIf(!hasScript && !process.env.CLOUD_REQUIRE_TOOLS)(
    'asks once on the terminal, then tears down k8s-apps, hosts, builder and infra in that order',
    () => {
      // The answer waits in the terminal's input; whoever asks a second time would find none and fail.
      const run = spawnSync('script', ['-qec', `${NX} run-many -t destroy`, '/dev/null'], {
        cwd: work,
        env,
        input: 'personal-cloud\n',
        encoding: 'utf8',
      });
      const out = plain(`${run.stdout}${run.stderr}`);
      expect(run.status, out).toBe(0);
      expect(out.match(/Type the cluster name to confirm/g)).toHaveLength(1);
      const order = ['k8s-apps:destroy —', 'hosts: destroy:', 'builder:destroy —', 'Destroyed 0 resource(s)'].map(
        (line) => out.indexOf(line),
      );
      expect(
        order.every((at) => at >= 0),
        out,
      ).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    },
    90_000,
  );
});
