// Flux applies Kustomizations in dependsOn order. The graph must name only Kustomizations that
// exist, have no cycle (Flux would wait forever), and point each one at a directory of the tree.
import type { PlacedObject } from './tree-objects';

const FLUX_KUSTOMIZATION = 'kustomize.toolkit.fluxcd.io/';

interface Node {
  key: string;
  dependsOn: string[];
  path?: string;
}

export function fluxGraphProblems(objects: readonly PlacedObject[], directories: ReadonlySet<string>): string[] {
  const nodes = new Map<string, Node>();
  for (const { object } of objects) {
    if (!object.apiVersion.startsWith(FLUX_KUSTOMIZATION) || object.kind !== 'Kustomization') continue;
    const namespace = object.metadata.namespace ?? 'default';
    const spec = object.spec as { path?: string; dependsOn?: { name: string; namespace?: string }[] };
    nodes.set(`${namespace}/${object.metadata.name}`, {
      key: `${namespace}/${object.metadata.name}`,
      dependsOn: (spec.dependsOn ?? []).map((d) => `${d.namespace ?? namespace}/${d.name}`),
      path: spec.path,
    });
  }
  const problems: string[] = [];
  for (const node of nodes.values()) {
    for (const dependency of node.dependsOn)
      if (!nodes.has(dependency))
        problems.push(
          `flux: Kustomization ${node.key} depends on ${dependency}, which does not exist; allowed: ${[...nodes.keys()].sort().join(', ')}`,
        );
    const path = node.path?.replace(/^\.\//, '').replace(/\/$/, '');
    if (path !== undefined && !directories.has(path))
      problems.push(
        `flux: Kustomization ${node.key} has path ./${path}, which is not a directory of the rendered tree`,
      );
  }
  // Depth-first search; a node met again while still on the stack closes a cycle.
  const state = new Map<string, 'open' | 'done'>();
  const visit = (key: string, stack: string[]): void => {
    if (state.get(key) === 'done') return;
    if (state.get(key) === 'open') {
      problems.push(
        `flux: Kustomizations depend on each other in a cycle: ${[...stack.slice(stack.indexOf(key)), key].join(' → ')}; Flux would wait forever`,
      );
      return;
    }
    state.set(key, 'open');
    for (const dependency of nodes.get(key)?.dependsOn ?? [])
      if (nodes.has(dependency)) visit(dependency, [...stack, key]);
    state.set(key, 'done');
  };
  for (const key of [...nodes.keys()].sort()) visit(key, []);
  return problems;
}
