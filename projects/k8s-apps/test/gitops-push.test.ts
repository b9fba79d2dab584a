// The GitOps repository with real git against a local bare repository: a first push, nothing
// committed when nothing changed, a push rejected because the remote moved (clear message, the
// commit kept, the rendered tree untouched), and the object plan against what the remote holds.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import {
  commitTree,
  fetchRemote,
  filesAt,
  pushBranch,
  REJECTED_REF,
  type GitopsRemote,
} from '../src/gitops/gitops-clone';
import { planGitops } from '../src/plan/gitops-plan';

const configMap = (name: string, value: string) =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n  namespace: demo\ndata:\n  value: ${value}\n`;
const tree = (value: string) =>
  new Map([
    ['apps/demo/configmap.yaml', configMap('settings', value)],
    [
      'apps/demo/kustomization.yaml',
      'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- configmap.yaml\n',
    ],
  ]);
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-C', cwd, ...args])
    .toString()
    .trim();

describeWithTool('git', 'the GitOps clone against a bare repository', () => {
  let root: string;
  let remote: GitopsRemote;
  let bare: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'k8s-apps-gitops-'));
    bare = join(root, 'gitops.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', bare]);
    remote = { url: pathToFileURL(bare).href, branch: 'main' };
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  /** fetch, commit, push: what provision does; returns the pushed commit or null. */
  async function provision(clone: string, files: Map<string, string>): Promise<string | null> {
    const base = await fetchRemote(clone, remote);
    const commit = await commitTree(clone, remote, base, files, 'render');
    if (commit) await pushBranch(clone, remote, commit);
    return commit;
  }
  const remoteCommits = () => Number(git(bare, 'rev-list', '--count', 'main'));

  it('pushes the tree once, and commits nothing when the remote holds it already', async () => {
    const clone = join(root, 'clone');
    const first = await provision(clone, tree('one'));
    expect(first).toMatch(/^[0-9a-f]{40}$/);
    expect(git(bare, 'rev-parse', 'main')).toBe(first);
    expect(await provision(clone, tree('one'))).toBeNull();
    expect(remoteCommits()).toBe(1);
    // A fresh clone (another checkout of the workspace) agrees: nothing to commit.
    expect(await provision(join(root, 'other-clone'), tree('one'))).toBeNull();
    expect(remoteCommits()).toBe(1);
  });

  it('names a push rejected because the remote moved, keeps the commit, and the next run commits onto the new head', async () => {
    const clone = join(root, 'clone');
    await provision(clone, tree('one'));
    const base = await fetchRemote(clone, remote);
    const ours = (await commitTree(clone, remote, base, tree('two'), 'render two'))!;
    // Someone else pushes between our fetch and our push.
    const theirs = await provision(join(root, 'someone-else'), tree('three'));
    const rejection = await pushBranch(clone, remote, ours).then(
      () => 'pushed',
      (error: Error) => error.message,
    );
    expect(rejection).toBe(
      `the push to ${remote.url} was rejected: its branch main moved since this run fetched it (another push); the commit ${ours.slice(0, 7)} is kept in ${clone} (${REJECTED_REF}) and the rendered tree is unchanged: run provision again to commit onto the new head.`,
    );
    expect(git(bare, 'rev-parse', 'main')).toBe(theirs);
    expect(git(clone, 'rev-parse', REJECTED_REF)).toBe(ours);
    const again = await provision(clone, tree('two'));
    expect(git(bare, 'rev-parse', 'main^')).toBe(theirs);
    expect(git(bare, 'rev-parse', 'main')).toBe(again);
  });

  it('reads back every file of a commit as it was written, multi-byte text and empty files included', async () => {
    const clone = join(root, 'clone');
    const files = tree('één 🚀');
    files.set('apps/demo/empty.yaml', '');
    files.set('apps/demo/no-newline.txt', 'ü');
    const commit = (await provision(clone, files))!;
    expect(await filesAt(clone, commit)).toEqual(new Map([...files].sort(([a], [b]) => (a < b ? -1 : 1))));
  });

  it('plans object by object against what the remote holds', async () => {
    const clone = join(root, 'clone');
    expect(planGitops(null, new Map(), tree('one')).changes.map((c) => `${c.action} ${c.kind} ${c.name}`)).toEqual([
      'add ConfigMap settings',
    ]);
    await provision(clone, tree('one'));
    const base = await fetchRemote(clone, remote);
    const held = await filesAt(clone, base);
    expect(planGitops(base, held, tree('one'))).toEqual({ base, changes: [], otherFiles: [] });
    const next = tree('two');
    next.set('apps/demo/service.yaml', 'apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: demo\n');
    next.delete('apps/demo/configmap.yaml');
    next.set('apps/demo/configmap-renamed.yaml', configMap('other', 'x'));
    const plan = planGitops(base, held, next);
    expect(plan.changes.map((c) => `${c.action} ${c.kind} ${c.namespace}/${c.name} (${c.owner})`)).toEqual([
      'add ConfigMap demo/other (demo)',
      'remove ConfigMap demo/settings (demo)',
      'add Service demo/web (demo)',
    ]);
  });
});
