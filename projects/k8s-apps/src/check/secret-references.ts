// Git holds only the names of Secrets. Every name an object uses must be one that something
// creates: a Secret declared for deploy time (with the key asked for), or a cert-manager
// Certificate's secretName in the same namespace. A typo would otherwise surface only as a pod
// stuck in CreateContainerConfigError on the cluster.
import type { IPodSpec } from 'kubernetes-models/v1';
import type { Manifest } from '../manifest/manifest';
import type { RuntimeSecret } from '../render/runtime-secrets';
import type { ObjectRule, RuleContext } from './object-rules';
import { podTemplate } from './pod-templates';
import type { PlacedObject } from './tree-objects';

interface Reference {
  name: string;
  key?: string;
  via: string;
}

function podReferences(spec: IPodSpec): Reference[] {
  const containers = [...(spec.initContainers ?? []), ...spec.containers];
  return [
    ...(spec.volumes ?? []).flatMap((v) =>
      v.secret?.secretName ? [{ name: v.secret.secretName, via: `volume ${v.name}` }] : [],
    ),
    ...(spec.imagePullSecrets ?? []).flatMap((s) => (s.name ? [{ name: s.name, via: 'imagePullSecrets' }] : [])),
    ...containers.flatMap((c) => [
      ...(c.env ?? []).flatMap((e) => {
        const ref = e.valueFrom?.secretKeyRef;
        return ref?.name ? [{ name: ref.name, key: ref.key, via: `container ${c.name} env ${e.name}` }] : [];
      }),
      ...(c.envFrom ?? []).flatMap((e) =>
        e.secretRef?.name ? [{ name: e.secretRef.name, via: `container ${c.name} envFrom` }] : [],
      ),
    ]),
  ];
}

function references(object: Manifest): Reference[] {
  // The fields read here, of the kinds that have them: Ingress tls, VolSync restic, Flux sources.
  const spec = object.spec as
    | { tls?: { secretName?: string }[]; restic?: { repository?: string }; secretRef?: { name?: string } }
    | undefined;
  const template = podTemplate(object);
  if (template) return podReferences(template.spec);
  if (object.kind === 'Ingress')
    return (spec?.tls ?? []).flatMap((t) => (t.secretName ? [{ name: t.secretName, via: 'tls' }] : []));
  if (object.apiVersion.startsWith('volsync.backube/'))
    return spec?.restic?.repository ? [{ name: spec.restic.repository, via: 'restic.repository' }] : [];
  if (object.apiVersion.startsWith('source.toolkit.fluxcd.io/'))
    return spec?.secretRef?.name ? [{ name: spec.secretRef.name, via: 'secretRef' }] : [];
  return [];
}

/** The Secrets something creates: the declared ones by `namespace/name`, and the Certificates' secretNames. */
export function creatableSecrets(
  objects: readonly PlacedObject[],
  declared: readonly RuntimeSecret[],
): RuleContext['secrets'] {
  return {
    declared: new Map(declared.map((s) => [`${s.namespace}/${s.name}`, s])),
    certificates: new Set(
      objects
        .filter((p) => p.object.kind === 'Certificate')
        .map(
          (p) => `${p.object.metadata.namespace ?? 'default'}/${(p.object.spec as { secretName: string }).secretName}`,
        ),
    ),
  };
}

export const secretsAreCreated: ObjectRule = (object, context) => {
  const namespace = object.metadata.namespace ?? 'default';
  return references(object).flatMap((ref) => {
    const at = `${namespace}/${ref.name}`;
    const secret = context.secrets.declared.get(at);
    if (!secret && context.secrets.certificates.has(at)) return [];
    if (!secret)
      return [
        `${ref.via} references Secret ${at}, which nothing creates: declare it among the module's runtime Secrets`,
      ];
    if (ref.key !== undefined && !(ref.key in secret.keys))
      return [
        `${ref.via} references key ${ref.key} of Secret ${at}, which has only ${Object.keys(secret.keys).sort().join(', ')}`,
      ];
    return [];
  });
};
