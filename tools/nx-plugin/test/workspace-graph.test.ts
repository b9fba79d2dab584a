// The project graph as Nx computes it on this workspace: the layer order, and `affected` precision.
import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { copyWorkspace, NX, WORKSPACE } from './support/workspace-copy';

interface Described {
  metadata?: { description?: string; technologies?: string[] };
}
interface ProjectData extends Described {
  targets?: Record<string, Described>;
}

const env = { ...process.env, NX_DAEMON: 'false', NX_ISOLATE_PLUGINS: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false' };
const nx = (cwd: string, ...args: string[]) => execFileSync(NX, args, { cwd, env, encoding: 'utf8' });

describe('project graph', () => {
  let deps: Record<string, { target: string }[]>;
  let nodes: Record<string, { data: ProjectData }>;
  beforeAll(() => {
    const file = join(mkdtempSync(join(tmpdir(), 'pc-graph-')), 'graph.json');
    nx(WORKSPACE, 'graph', `--file=${file}`);
    const { graph } = JSON.parse(readFileSync(file, 'utf8')) as {
      graph: { dependencies: typeof deps; nodes: typeof nodes };
    };
    deps = graph.dependencies;
    nodes = graph.nodes;
  }, 60_000);
  const dependsOn = (project: string) => deps[project]?.map((d) => d.target) ?? [];

  it('chains the layers cluster → infra → builder → hosts → k8s-apps', () => {
    expect(dependsOn('infra')).toContain('cluster');
    expect(dependsOn('builder')).toContain('infra');
    expect(dependsOn('hosts')).toContain('builder');
    expect(dependsOn('k8s-apps')).toContain('hosts');
  });

  it('feeds vault and sandbox into infra, and cluster into both', () => {
    expect(dependsOn('infra')).toEqual(expect.arrayContaining(['vault', 'sandbox']));
    expect(dependsOn('vault')).toContain('cluster');
    expect(dependsOn('sandbox')).toContain('cluster');
  });

  it('describes every project and every target, with its technologies, for `nx show project`', () => {
    const missing: string[] = [];
    for (const [name, { data }] of Object.entries(nodes)) {
      if (!data.metadata?.description || !data.metadata.technologies?.length) missing.push(name);
      for (const [target, { metadata }] of Object.entries(data.targets ?? {}))
        if (!metadata?.description || !metadata.technologies?.length) missing.push(`${name}:${target}`);
    }
    expect(missing).toEqual([]);
    expect(Object.keys(nodes)).toEqual(
      expect.arrayContaining(['builder', 'cluster', 'hosts', 'infra', 'k8s-apps', 'nx-plugin', 'sandbox', 'vault']),
    );
    expect(nodes.infra?.data.targets?.render?.metadata?.description).toContain('dist/infra/render');
  });

  it('has no edge backwards', () => {
    for (const earlier of ['cluster', 'vault', 'sandbox']) expect(dependsOn(earlier)).not.toContain('infra');
    expect(dependsOn('infra')).not.toEqual(expect.arrayContaining(['hosts']));
  });
});

describe('nx affected', () => {
  // A private copy of the working tree with its own git history, so each change is one commit.
  let work: string;
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@localhost', ...args], {
      cwd: work,
      encoding: 'utf8',
    });
  const affectedBy = (file: string) => {
    mkdirSync(dirname(join(work, file)), { recursive: true });
    appendFileSync(join(work, file), '\n// touched\n');
    git('add', '-A');
    git('commit', '-qm', `touch ${file}`);
    return nx(work, 'show', 'projects', '--affected', '--base=HEAD~1').split('\n').filter(Boolean).sort();
  };

  beforeAll(() => {
    work = copyWorkspace('pc-affected-');
    execFileSync('git', ['init', '-q', '-b', 'main'], { cwd: work });
    git('add', '-A');
    git('commit', '-qm', 'base');
  }, 60_000);

  it('marks every layer affected by a change to cluster.config.ts', () => {
    expect(affectedBy('cluster.config.ts')).toEqual(
      expect.arrayContaining(['cluster', 'infra', 'hosts', 'k8s-apps', 'builder']),
    );
  });

  it('marks a layer and the layers after it, never the ones before', () => {
    expect(affectedBy('projects/k8s-apps/src/touched.ts')).toEqual(['k8s-apps']);
    // An app's module, outside src/: still k8s-apps' own input, and nothing before it.
    expect(affectedBy('projects/k8s-apps/apps/website.ts')).toEqual(['k8s-apps']);
    expect(affectedBy('projects/hosts/src/touched.ts')).toEqual(['hosts', 'k8s-apps']);
    expect(affectedBy('projects/builder/src/touched.ts')).toEqual(['builder', 'hosts', 'k8s-apps']);
    const infra = affectedBy('projects/infra/src/touched.ts');
    expect(infra).toEqual(expect.arrayContaining(['infra', 'hosts', 'k8s-apps', 'builder']));
    expect(infra).not.toEqual(expect.arrayContaining(['cluster']));
    expect(infra).not.toContain('vault');
    expect(infra).not.toContain('sandbox');
  });
}, 120_000);
