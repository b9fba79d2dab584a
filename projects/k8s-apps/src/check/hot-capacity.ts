// Hot claims live on a node's own disk, which the OS and the images share. For each node with the
// hot tier, add up every hot claim that could land there (each workload's claims per pod, as many
// pods as may share the node) and refuse what cannot fit, with the numbers.
import type { IPodSpec } from 'kubernetes-models/v1';
import { SERVER_TYPE_OFFERS, type NodeModel, type ServerType } from '@personal-cloud/cluster';
import { describeObject } from '../manifest/manifest';
import { mountedClaims, podTemplate, spreadOnePerNode } from './pod-templates';
import type { PlacedObject } from './tree-objects';

export interface HotTier {
  storageClass: string;
  nodeLabels: Record<string, string>;
  osReserveGb: number;
}

const UNITS: Record<string, number> = {
  '': 1,
  k: 1e3,
  K: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};

/** A storage quantity in GB as Hetzner counts disks (GiB); undefined when it is not one. */
export function quantityGb(quantity: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)(k|K|M|G|T|Ki|Mi|Gi|Ti)?$/.exec(quantity);
  return match ? (Number(match[1]) * UNITS[match[2] ?? '']!) / 2 ** 30 : undefined;
}

function nodeLabels(node: NodeModel): Record<string, string> {
  return { ...node.kubernetes.labels, 'kubernetes.io/hostname': node.name };
}

/** Whether the scheduler may put the pod on a node with these labels (nodeSelector and required node affinity). */
export function podFitsNode(spec: IPodSpec, labels: Record<string, string>): boolean {
  if (!Object.entries(spec.nodeSelector ?? {}).every(([k, v]) => labels[k] === v)) return false;
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms;
  if (!terms?.length) return true;
  return terms.some((term) =>
    (term.matchExpressions ?? []).every((e) => {
      const value = labels[e.key];
      switch (e.operator) {
        case 'In':
          return value !== undefined && (e.values ?? []).includes(value);
        case 'NotIn':
          return value === undefined || !(e.values ?? []).includes(value);
        case 'Exists':
          return value !== undefined;
        case 'DoesNotExist':
          return value === undefined;
        default:
          return false;
      }
    }),
  );
}

interface HotClaim {
  owner: string;
  what: string;
  gb: number;
  nodes: Set<string>;
}

const gb = (n: number) => `${Number.isInteger(n) ? n : n.toFixed(1)} GB`;

export function hotCapacityProblems(
  objects: readonly PlacedObject[],
  nodes: readonly NodeModel[],
  hot: HotTier,
): string[] {
  const hotNodes = nodes.filter((node) =>
    Object.entries(hot.nodeLabels).every(([k, v]) => node.kubernetes.labels[k] === v),
  );
  const standalone = new Map(
    objects
      .filter((p) => p.object.kind === 'PersistentVolumeClaim')
      .map((p) => [`${p.object.metadata.namespace ?? 'default'}/${p.object.metadata.name}`, p]),
  );
  const claims = new Map<string, HotClaim>();
  const sizeOf = (
    spec: { storageClassName?: string | null; resources?: { requests?: Record<string, unknown> } } | undefined,
  ) =>
    spec?.storageClassName === hot.storageClass
      ? quantityGb(String(spec.resources?.requests?.storage ?? ''))
      : undefined;

  for (const { owner, object } of objects) {
    const template = podTemplate(object);
    if (!template) continue;
    const eligible = hotNodes.filter((node) => podFitsNode(template.spec, nodeLabels(node))).map((node) => node.name);
    const podsPerNode = spreadOnePerNode(template) ? 1 : template.replicas;
    for (const claimTemplate of template.claimTemplates) {
      const size = sizeOf(claimTemplate.spec);
      if (size === undefined) continue;
      const what = `${describeObject(object)} claim ${claimTemplate.metadata?.name} ${gb(size)}${podsPerNode > 1 ? ` × ${podsPerNode} pods` : ''}`;
      claims.set(`${describeObject(object)}/${claimTemplate.metadata?.name}`, {
        owner,
        what,
        gb: size * podsPerNode,
        nodes: new Set(eligible),
      });
    }
    const namespace = object.metadata.namespace ?? 'default';
    for (const name of mountedClaims(template.spec)) {
      const claim = standalone.get(`${namespace}/${name}`);
      const size = sizeOf(claim?.object.spec as never);
      if (!claim || size === undefined) continue;
      const key = `${namespace}/${name}`;
      const known = claims.get(key) ?? {
        owner: claim.owner,
        what: `${describeObject(claim.object)} ${gb(size)}`,
        gb: size,
        nodes: new Set<string>(),
      };
      for (const node of eligible) known.nodes.add(node);
      claims.set(key, known);
    }
  }

  // Nodes of one server type that could receive the same claims overflow alike: one line for all of them.
  const overflowing = new Map<string, { nodes: string[]; text: (where: string) => string }>();
  for (const node of hotNodes) {
    const landing = [...claims.values()].filter((claim) => claim.nodes.has(node.name));
    const total = landing.reduce((sum, claim) => sum + claim.gb, 0);
    const disk = SERVER_TYPE_OFFERS[node.serverType as ServerType]?.diskGb;
    if (disk === undefined || !landing.length) continue;
    const available = disk - hot.osReserveGb;
    if (total <= available) continue;
    const owners = [...new Set(landing.map((claim) => claim.owner))].sort().join(', ');
    const claimList = landing.map((claim) => claim.what).join('; ');
    const key = `${node.serverType}|${claimList}`;
    const group = overflowing.get(key) ?? {
      nodes: [],
      text: (where: string) =>
        `${owners}: hot claims of up to ${gb(total)} could land on ${where} ${gb(available)} of hot storage (${node.serverType}: ${gb(disk)} of disk less ${gb(hot.osReserveGb)} reserved for the OS and images): ${claimList}. Move the large claims to the warm tier or choose a larger server type`,
    };
    group.nodes.push(node.name);
    overflowing.set(key, group);
  }
  return [...overflowing.values()].map(({ nodes, text }) =>
    text(
      nodes.length === 1
        ? `${nodes[0]}, which has`
        : `${nodes.slice(0, -1).join(', ')} or ${nodes.at(-1)}, each of which has`,
    ),
  );
}
