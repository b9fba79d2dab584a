// The cluster's kubeconfig (k3s's, as hosts keeps it in the vault) as one named context in the
// operator's kubeconfig: its cluster, user and context renamed to the cluster's name, entries of
// that name replaced, every other context kept, the current context switched to it. Pure.
import { parseDocument, stringify } from 'yaml';
import { CloudError } from '@personal-cloud/cluster';

interface Named {
  name: string;
  [key: string]: unknown;
}

interface Kubeconfig {
  apiVersion?: string;
  kind?: string;
  clusters?: Named[];
  users?: Named[];
  contexts?: Named[];
  'current-context'?: string;
  [key: string]: unknown;
}

/** The cluster's own kubeconfig with its entries named `name` and, when given, its server replaced. */
export function clusterKubeconfig(text: string, name: string, server?: string): Kubeconfig {
  const source = parseKubeconfig(text, "the vault's KUBECONFIG");
  const [cluster, user, context] = [source.clusters, source.users, source.contexts].map((list) => list ?? []);
  if (cluster!.length !== 1 || user!.length !== 1 || context!.length !== 1)
    throw new CloudError(
      `the vault's KUBECONFIG should hold one cluster, one user and one context, as k3s writes it, not ${cluster!.length}, ${user!.length} and ${context!.length}; \`npx nx run hosts:provision\` fetches it again.`,
    );
  const clusterEntry = cluster![0]!.cluster as Record<string, unknown>;
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { ...clusterEntry, ...(server ? { server } : {}) } }],
    users: [{ name, user: user![0]!.user }],
    contexts: [{ name, context: { ...(context![0]!.context as object), cluster: name, user: name } }],
    'current-context': name,
  };
}

/** The server a kubeconfig names (`https://host:6443`). */
export function serverOf(config: Kubeconfig): string {
  return String((config.clusters?.[0]?.cluster as { server?: unknown } | undefined)?.server ?? '');
}

export interface MergedKubeconfig {
  text: string;
  /** The context that was current before, if another. */
  previousContext: string | null;
  /** Whether a context of this name was there already (and is now replaced). */
  replaced: boolean;
}

/** `ours` merged into the operator's kubeconfig text (null: no file yet). */
export function mergeKubeconfig(existing: string | null, ours: Kubeconfig, path: string): MergedKubeconfig {
  const base: Kubeconfig = existing?.trim() ? parseKubeconfig(existing, path) : { apiVersion: 'v1', kind: 'Config' };
  const name = ours['current-context']!;
  const merge = (list: Named[] | undefined, entry: Named) => [
    ...(list ?? []).filter((e) => e.name !== entry.name),
    entry,
  ];
  const replaced = (base.contexts ?? []).some((c) => c.name === name);
  const previous = base['current-context'];
  const merged: Kubeconfig = {
    ...base,
    apiVersion: base.apiVersion ?? 'v1',
    kind: base.kind ?? 'Config',
    clusters: merge(base.clusters, ours.clusters![0]!),
    users: merge(base.users, ours.users![0]!),
    contexts: merge(base.contexts, ours.contexts![0]!),
    'current-context': name,
  };
  return { text: stringify(merged), previousContext: previous && previous !== name ? previous : null, replaced };
}

export function kubeconfigText(config: Kubeconfig): string {
  return stringify(config);
}

function parseKubeconfig(text: string, what: string): Kubeconfig {
  const document = parseDocument(text);
  if (document.errors.length)
    throw new CloudError(
      `${what} is not valid YAML (${document.errors[0]!.message.split('\n')[0]}); nothing was written.`,
    );
  const value = document.toJS() as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new CloudError(
      `${what} is not a kubeconfig (a YAML mapping with clusters, users and contexts); nothing was written.`,
    );
  for (const key of ['clusters', 'users', 'contexts'] as const) {
    const list = (value as Kubeconfig)[key];
    if (list !== undefined && list !== null && (!Array.isArray(list) || list.some((e) => typeof e?.name !== 'string')))
      throw new CloudError(`${what}: its ${key} should be a list of named entries; nothing was written.`);
  }
  return value as Kubeconfig;
}
