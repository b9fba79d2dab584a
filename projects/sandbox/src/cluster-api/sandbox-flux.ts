// The sandbox's "Flux": what source-controller and kustomize-controller would do with a pushed
// commit, minus applying. It clones the source's branch, builds the cluster's directory (Flux's own
// Kustomization) with the real `kubectl kustomize`, finds the Kustomizations that build declares,
// and builds each one's path in `dependsOn` order. Each gets Flux's Ready condition: the build's
// success, the build's error, or the dependency that is not Ready.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments } from 'yaml';
import type { FluxSource, KustomizationCondition } from './cluster-api-world';

const run = promisify(execFile);

/** The root Kustomization's name, as `flux bootstrap` calls it. */
export const FLUX_ROOT = 'flux-system';

interface Declared {
  name: string;
  path: string;
  dependsOn: string[];
}

export interface Reconciled {
  revision: string;
  kustomizations: KustomizationCondition[];
}

/** Reconciles the source's branch head; a source that cannot be fetched fails the root Kustomization. */
export async function reconcileFlux(source: FluxSource): Promise<Reconciled> {
  const checkout = await mkdtemp(join(tmpdir(), 'sandbox-flux-'));
  try {
    try {
      await run('git', ['clone', '--quiet', '--depth', '1', '--branch', source.branch, source.url, checkout]);
    } catch (error) {
      const message = `failed to checkout and determine revision: ${toolError(error)}`;
      return {
        revision: '',
        kustomizations: [
          condition({ name: FLUX_ROOT, path: source.path, dependsOn: [] }, '', 'ArtifactFailed', message),
        ],
      };
    }
    const sha = (await run('git', ['-C', checkout, 'rev-parse', 'HEAD'])).stdout.trim();
    const revision = `${source.branch}@sha1:${sha}`;
    const root: Declared = { name: FLUX_ROOT, path: source.path, dependsOn: [] };
    const rootBuild = await build(checkout, root.path);
    if ('error' in rootBuild)
      return { revision, kustomizations: [condition(root, revision, 'BuildFailed', rootBuild.error)] };
    const declared = declaredKustomizations(rootBuild.documents).filter((k) => k.name !== FLUX_ROOT);
    const results = new Map<string, KustomizationCondition>([[FLUX_ROOT, ready(root, revision, rootBuild.documents)]]);
    for (const kustomization of dependencyOrder(declared)) {
      const blocker = kustomization.dependsOn.find((d) => !results.get(d)?.ready);
      if (blocker !== undefined) {
        const known = declared.some((k) => k.name === blocker);
        results.set(
          kustomization.name,
          condition(
            kustomization,
            revision,
            'DependencyNotReady',
            known
              ? `dependency '${FLUX_ROOT}/${blocker}' is not ready`
              : `dependency '${FLUX_ROOT}/${blocker}' not found`,
          ),
        );
        continue;
      }
      const built = await build(checkout, kustomization.path);
      results.set(
        kustomization.name,
        'error' in built
          ? condition(kustomization, revision, 'BuildFailed', built.error)
          : ready(kustomization, revision, built.documents),
      );
    }
    return { revision, kustomizations: [...results.values()] };
  } finally {
    await rm(checkout, { recursive: true, force: true });
  }
}

/** Topological order by dependsOn, names breaking ties; members of a cycle come last (their dependency is never Ready). */
export function dependencyOrder(declared: readonly Declared[]): Declared[] {
  const pending = [...declared].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const names = new Set(pending.map((k) => k.name));
  const done = new Set<string>();
  const order: Declared[] = [];
  while (pending.length) {
    const next = pending.findIndex((k) => k.dependsOn.every((d) => done.has(d) || !names.has(d)));
    const [taken] = pending.splice(next === -1 ? 0 : next, 1);
    order.push(taken!);
    done.add(taken!.name);
  }
  return order;
}

function declaredKustomizations(documents: readonly Record<string, unknown>[]): Declared[] {
  return documents
    .filter((d) => String(d.apiVersion).startsWith('kustomize.toolkit.fluxcd.io/') && d.kind === 'Kustomization')
    .map((d) => {
      const spec = (d.spec ?? {}) as { path?: string; dependsOn?: { name: string }[] };
      return {
        name: String((d.metadata as { name?: string } | undefined)?.name),
        path: (spec.path ?? './').replace(/^\.\//, '') || '.',
        dependsOn: (spec.dependsOn ?? []).map((dependency) => dependency.name),
      };
    });
}

async function build(
  checkout: string,
  path: string,
): Promise<{ documents: Record<string, unknown>[] } | { error: string }> {
  try {
    const { stdout } = await run('kubectl', ['kustomize', join(checkout, path)], { maxBuffer: 64 * 1024 * 1024 });
    const documents = parseAllDocuments(stdout)
      .map((document) => document.toJS() as Record<string, unknown> | null)
      .filter((document): document is Record<string, unknown> => document !== null);
    return { documents };
  } catch (error) {
    // kustomize names the checkout's temporary folder; Flux names paths inside the source.
    return { error: `kustomize build failed: ${toolError(error).split(`${checkout}/`).join('')}` };
  }
}

function ready(k: Declared, revision: string, documents: readonly unknown[]): KustomizationCondition {
  return {
    ...condition(k, revision, 'ReconciliationSucceeded', `Applied revision: ${revision}`),
    ready: true,
    objects: documents.length,
  };
}

function condition(k: Declared, revision: string, reason: string, message: string): KustomizationCondition {
  return { name: k.name, ready: false, reason, message, revision, dependsOn: k.dependsOn, objects: 0 };
}

function toolError(error: unknown): string {
  const stderr = (error as { stderr?: string }).stderr?.trim();
  return (stderr || (error as Error).message).replace(/^error: /, '');
}
