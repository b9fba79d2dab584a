// The rules every rendered object must keep beyond its schema. Each rule looks at one object and
// returns what is wrong with it, in words that say what is allowed instead.
import type { IPodSpec } from 'kubernetes-models/v1';
import { validateManifest } from '../manifest/kinds';
import type { Manifest } from '../manifest/manifest';
import type { RuntimeSecret } from '../render/runtime-secrets';
import { mountedClaims, podTemplate } from './pod-templates';
import { secretsAreCreated } from './secret-references';
import type { PlacedObject } from './tree-objects';

export interface RuleContext {
  /** The storage classes of the tiers: what a claim may name. */
  claimClasses: readonly string[];
  hot: { storageClass: string; nodeLabels: Record<string, string> };
  /** Every standalone claim of the tree, by `namespace/name`, for the pods that mount them. */
  claims: ReadonlyMap<string, Manifest>;
  /** The Secrets something creates, by `namespace/name`: declared for deploy time, or by a Certificate. */
  secrets: { declared: ReadonlyMap<string, RuntimeSecret>; certificates: ReadonlySet<string> };
}

export type ObjectRule = (object: Manifest, context: RuleContext) => string[];

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** Kinds whose names become DNS labels (a Service's name is a host name; a Namespace's is a label). */
const LABEL_NAMED = new Set(['Namespace', 'Service']);
/** Go's time.ParseDuration, as Flux reads intervals and timeouts: 1h, 5m30s, 500ms. */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const FLUX_DURATION_FIELDS = new Set(['interval', 'timeout', 'retryInterval']);

export const schemaIsValid: ObjectRule = (object) => {
  try {
    validateManifest(object);
    return [];
  } catch (error) {
    return [(error as Error).message];
  }
};

export const namesAreRfc1123: ObjectRule = (object) => {
  const out: string[] = [];
  const { name, namespace } = object.metadata ?? {};
  const label = LABEL_NAMED.has(object.kind);
  if (typeof name !== 'string' || (label ? !DNS_LABEL.test(name) : !DNS_SUBDOMAIN.test(name) || name.length > 253))
    out.push(
      `name ${JSON.stringify(name)} is not an RFC 1123 ${label ? 'label' : 'subdomain'}: lowercase letters, digits and "-"${label ? '' : ' (and "." between parts)'}, starting and ending with a letter or digit, at most ${label ? 63 : 253} characters`,
    );
  if (namespace !== undefined && !DNS_LABEL.test(namespace))
    out.push(
      `namespace ${JSON.stringify(namespace)} is not an RFC 1123 label: lowercase letters, digits and "-", at most 63 characters`,
    );
  return out;
};

/** Every interval, timeout and retryInterval in a Flux object, wherever it is nested. */
function durations(value: unknown, at: string): { at: string; value: unknown }[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => durations(item, `${at}[${i}]`));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(FLUX_DURATION_FIELDS.has(key) ? [{ at: `${at}.${key}`, value: child }] : []),
    ...(key === 'values' ? [] : durations(child, `${at}.${key}`)),
  ]);
}

export const fluxDurationsParse: ObjectRule = (object) => {
  if (!object.apiVersion.includes('.toolkit.fluxcd.io/')) return [];
  return durations(object.spec, 'spec')
    .filter((d) => typeof d.value !== 'string' || !GO_DURATION.test(d.value))
    .map(
      (d) =>
        `${d.at} is ${JSON.stringify(d.value)}, not a Flux duration; allowed: a Go duration such as 30s, 5m or 1h30m`,
    );
};

function containersOf(spec: IPodSpec) {
  return [...(spec.initContainers ?? []), ...spec.containers];
}

export const containersAreSized: ObjectRule = (object) => {
  const template = podTemplate(object);
  if (!template) return [];
  return containersOf(template.spec).flatMap((container) => {
    const missing = (['requests', 'limits'] as const).flatMap((kind) =>
      (['cpu', 'memory'] as const)
        .filter((r) => container.resources?.[kind]?.[r] === undefined)
        .map((r) => `${kind}.${r}`),
    );
    return missing.length
      ? [
          `container ${container.name} has no resources ${missing.join(', ')}; every container needs cpu and memory requests and limits`,
        ]
      : [];
  });
};

/** The tag of an image reference, if any (a registry port is not a tag). */
function imageTag(image: string): string | undefined {
  const withoutDigest = image.split('@')[0]!;
  const lastPart = withoutDigest.slice(withoutDigest.lastIndexOf('/') + 1);
  return lastPart.includes(':') ? lastPart.slice(lastPart.indexOf(':') + 1) : undefined;
}

export const imagesArePinned: ObjectRule = (object) => {
  const template = podTemplate(object);
  if (!template) return [];
  return containersOf(template.spec).flatMap((container) => {
    const image = container.image ?? '';
    if (image.includes('@sha256:')) return [];
    const tag = imageTag(image);
    if (tag === undefined)
      return [
        `container ${container.name} image ${JSON.stringify(image)} has no tag; pin a version, e.g. ${image}:1.2.3, or a digest`,
      ];
    if (tag === 'latest')
      return [`container ${container.name} image ${JSON.stringify(image)} is tagged latest; pin a version or a digest`];
    return [];
  });
};

export const secretsHaveNoData: ObjectRule = (object) => {
  if (object.kind !== 'Secret') return [];
  const fields = (['data', 'stringData'] as const).filter(
    (field) => Object.keys((object[field] as object | undefined) ?? {}).length > 0,
  );
  return fields.length
    ? [
        `is a Secret with ${fields.join(' and ')} in git; Secrets are created from the vault at deploy time: render only their names`,
      ]
    : [];
};

function claimClassProblems(what: string, storageClassName: string | undefined | null, context: RuleContext): string[] {
  if (storageClassName && context.claimClasses.includes(storageClassName)) return [];
  return [
    `${what} has storage class ${storageClassName ? JSON.stringify(storageClassName) : '(none: the cluster default)'}; allowed: ${context.claimClasses.join(', ')}`,
  ];
}

export const claimsUseTiers: ObjectRule = (object, context) => {
  if (object.kind === 'PersistentVolumeClaim')
    return claimClassProblems('the claim', (object.spec as { storageClassName?: string }).storageClassName, context);
  return (podTemplate(object)?.claimTemplates ?? []).flatMap((template) =>
    claimClassProblems(`claim template ${template.metadata?.name}`, template.spec?.storageClassName, context),
  );
};

/** Whether every way the pod may be scheduled keeps it on nodes with all of these labels. */
function pinnedTo(spec: IPodSpec, labels: Record<string, string>): boolean {
  const terms = spec.affinity?.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [];
  return Object.entries(labels).every(
    ([key, value]) =>
      spec.nodeSelector?.[key] === value ||
      (terms.length > 0 &&
        terms.every((term) =>
          (term.matchExpressions ?? []).some(
            (e) => e.key === key && e.operator === 'In' && !!e.values?.length && e.values.every((v) => v === value),
          ),
        )),
  );
}

export const hotPodsArePinned: ObjectRule = (object, context) => {
  const template = podTemplate(object);
  if (!template) return [];
  const namespace = object.metadata.namespace ?? 'default';
  const hotClaims = [
    ...template.claimTemplates
      .filter((t) => t.spec?.storageClassName === context.hot.storageClass)
      .map((t) => `claim template ${t.metadata?.name}`),
    ...mountedClaims(template.spec)
      .filter(
        (name) =>
          (context.claims.get(`${namespace}/${name}`)?.spec as { storageClassName?: string } | undefined)
            ?.storageClassName === context.hot.storageClass,
      )
      .map((name) => `claim ${name}`),
  ];
  if (!hotClaims.length || pinnedTo(template.spec, context.hot.nodeLabels)) return [];
  const wanted = Object.entries(context.hot.nodeLabels)
    .map(([k, v]) => `${k}=${v}`)
    .join(', ');
  return [
    `uses the hot tier (${hotClaims.join(', ')}) but is not pinned to the nodes that have it: require ${wanted} in a nodeSelector or required node affinity`,
  ];
};

export const OBJECT_RULES: readonly ObjectRule[] = [
  schemaIsValid,
  namesAreRfc1123,
  fluxDurationsParse,
  containersAreSized,
  imagesArePinned,
  secretsHaveNoData,
  secretsAreCreated,
  claimsUseTiers,
  hotPodsArePinned,
];

/** The claims of the tree, by `namespace/name`. */
export function claimIndex(objects: readonly PlacedObject[]): Map<string, Manifest> {
  return new Map(
    objects
      .filter((p) => p.object.kind === 'PersistentVolumeClaim')
      .map((p) => [`${p.object.metadata.namespace ?? 'default'}/${p.object.metadata.name}`, p.object]),
  );
}
