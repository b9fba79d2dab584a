// The plan: the rendered tree against what the GitOps repository holds, object by object (kind,
// namespace, name), plus the other files (kustomize's) that differ. Pure.
import { isDeepStrictEqual } from 'node:util';
import { treeObjects, type PlacedObject } from '../check/tree-objects';

export interface ObjectChange {
  action: 'add' | 'change' | 'remove';
  kind: string;
  namespace: string | null;
  name: string;
  /** The file it is (or was) in, and the app or platform part that owns it. */
  file: string;
  owner: string;
}

export interface GitopsPlan {
  /** The remote's head the plan compares with; null for an empty repository. */
  base: string | null;
  changes: ObjectChange[];
  /** Files that differ and hold no object (kustomize's own), by path. */
  otherFiles: string[];
}

const identity = (p: PlacedObject) =>
  `${p.object.apiVersion.split('/')[0]}/${p.object.kind}/${p.object.metadata.namespace ?? ''}/${p.object.metadata.name}`;

export function planGitops(
  base: string | null,
  held: ReadonlyMap<string, string>,
  rendered: ReadonlyMap<string, string>,
): GitopsPlan {
  // The same files with the same text hold the same objects: a no-op provision parses no YAML.
  if (held.size === rendered.size && [...rendered].every(([file, text]) => held.get(file) === text))
    return { base, changes: [], otherFiles: [] };
  const heldObjects = treeObjects(held);
  const renderedObjects = treeObjects(rendered);
  const before = new Map(heldObjects.map((p) => [identity(p), p]));
  const after = new Map(renderedObjects.map((p) => [identity(p), p]));
  const changes: ObjectChange[] = [];
  const entry = (action: ObjectChange['action'], p: PlacedObject): ObjectChange => ({
    action,
    kind: p.object.kind,
    namespace: p.object.metadata.namespace ?? null,
    name: p.object.metadata.name ?? '',
    file: p.file,
    owner: p.owner,
  });
  for (const [key, p] of after) {
    const old = before.get(key);
    if (!old) changes.push(entry('add', p));
    else if (!isDeepStrictEqual(old.object, p.object) || old.file !== p.file) changes.push(entry('change', p));
  }
  for (const [key, p] of before) if (!after.has(key)) changes.push(entry('remove', p));
  changes.sort((a, b) => (a.file + a.name < b.file + b.name ? -1 : a.file + a.name > b.file + b.name ? 1 : 0));
  const objectFiles = new Set([...heldObjects, ...renderedObjects].map((p) => p.file));
  const otherFiles = [...new Set([...held.keys(), ...rendered.keys()])]
    .filter((file) => !objectFiles.has(file) && held.get(file) !== rendered.get(file))
    .sort();
  return { base, changes, otherFiles };
}

export function planIsEmpty(plan: GitopsPlan): boolean {
  return !plan.changes.length && !plan.otherFiles.length;
}
