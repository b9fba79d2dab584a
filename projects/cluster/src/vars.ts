// The seed's vars pattern: the public config names a concrete value symbolically
// (`vars.OPERATOR.ssh_public_key`), and only render resolves it, in memory, from the vault.

const VAR_PATH = Symbol('personal-cloud.var');

/** A symbolic reference to a value in the vault's `vars` document. */
export interface VarRef {
  readonly [VAR_PATH]: string;
}

/** `vars.A.B.c` in any depth: every property is both a reference and a tree of further ones. */
export type VarTree = VarRef & { readonly [key: string]: VarTree };

export function isVarRef(value: unknown): value is VarRef {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && VAR_PATH in value;
}

export function varPath(ref: VarRef): string {
  return ref[VAR_PATH];
}

function reference(path: string): VarTree {
  return new Proxy(Object.freeze({ [VAR_PATH]: path }) as VarTree, {
    get(_target, key) {
      if (key === VAR_PATH) return path;
      if (key === 'toJSON') return () => `\${vars.${path}}`;
      if (typeof key === 'symbol') return undefined;
      return reference(path ? `${path}.${key}` : key);
    },
    has: (_target, key) => key === VAR_PATH,
  });
}

/** A reference by dotted path, for layers that compute the path (`CLUSTER.${node.varsKey}.ip`). */
export function varRef(path: string): VarRef {
  return reference(path);
}

/**
 * The vars a config names, spelled out so the editor completes them (and so strict index
 * checking lets them through); anything else is reachable with varRef().
 */
export interface KnownVars {
  OPERATOR: VarTree & Record<'ssh_public_key' | 'address', VarTree>;
}

/** The root of the references a config writes: `vars.OPERATOR.ssh_public_key`. */
export const vars = reference('') as VarTree & KnownVars;

/** A vars document: nested objects with scalar leaves, as the vault stores it. */
export type VarsDocument = { [key: string]: VarsDocument | string | number | boolean };

/** The value at a dotted path, or undefined when any step is missing. */
export function lookupVar(document: VarsDocument, path: string): string | number | boolean | undefined {
  let node: VarsDocument | string | number | boolean | undefined = document;
  for (const key of path.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = node[key];
  }
  return typeof node === 'object' ? undefined : node;
}

/** Every reference in a value, with the path (in the value) where it stands. */
export function collectVarRefs(value: unknown, at: string[] = []): { at: string; ref: VarRef }[] {
  if (isVarRef(value)) return [{ at: at.join('.'), ref: value }];
  if (Array.isArray(value)) return value.flatMap((item, i) => collectVarRefs(item, [...at, String(i)]));
  if (typeof value === 'object' && value !== null)
    return Object.entries(value).flatMap(([key, item]) => collectVarRefs(item, [...at, key]));
  return [];
}

/** Sets a value at a dotted path, creating the objects on the way. Returns a new document. */
export function setVar(document: VarsDocument, path: string, value: string | number | boolean): VarsDocument {
  const [head, ...rest] = path.split('.');
  if (!head) return document;
  const child = document[head];
  return {
    ...document,
    [head]: rest.length ? setVar(typeof child === 'object' ? child : {}, rest.join('.'), value) : value,
  };
}
