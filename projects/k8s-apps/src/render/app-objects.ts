// The parts every app module is made of: its namespace, labels, claims on a tier, sized
// containers, placement on the nodes that have its tier, and a security context that is not root.
import type {
  IContainer,
  IPersistentVolumeClaimSpec,
  IPodSecurityContext,
  IAffinity,
  INodeSelectorRequirement,
  ISecurityContext,
} from 'kubernetes-models/v1';
import { Namespace, PersistentVolumeClaim } from 'kubernetes-models/v1';
import { built, type Manifest } from '../manifest/manifest';
import type { AppContext } from './app-context';

/** The label that says which claim of an app a PersistentVolumeClaim is; backups select by it. */
export const CLAIM_LABEL = 'personal-cloud/claim';
/** Nodes carry their pool as this label (the hosts layer sets it from the config). */
export const POOL_LABEL = 'personal-cloud/pool';

export function appLabels(context: AppContext, component?: string): Record<string, string> {
  return {
    'app.kubernetes.io/name': context.app.name,
    ...(component ? { 'app.kubernetes.io/component': component } : {}),
    'app.kubernetes.io/part-of': context.config.name,
  };
}

export function appNamespace(context: AppContext): Manifest {
  return built(new Namespace({ metadata: { name: context.app.name, labels: appLabels(context) } }));
}

export type Tier = 'hot' | 'warm' | 'movable';

export function tierClass(context: AppContext, tier: Tier): string {
  return context.tiers[tier].storageClass;
}

/** The spec of a ReadWriteOnce claim of `sizeGb` on a tier. */
export function claimSpec(context: AppContext, tier: Tier, sizeGb: number): IPersistentVolumeClaimSpec {
  return {
    accessModes: ['ReadWriteOnce'],
    storageClassName: tierClass(context, tier),
    resources: { requests: { storage: `${sizeGb}Gi` } },
  };
}

/** A standalone claim `<app>-<claim>` on a tier: what backups and restores name. */
export function claim(context: AppContext, name: string, tier: Tier, sizeGb: number): Manifest {
  return built(
    new PersistentVolumeClaim({
      metadata: {
        name: `${context.app.name}-${name}`,
        namespace: context.app.name,
        labels: { ...appLabels(context), [CLAIM_LABEL]: name },
      },
      spec: claimSpec(context, tier, sizeGb),
    }),
  );
}

/** Requests equal to limits: the scheduler reserves exactly what the container may use. */
export function sized(cpu: string, memory: string): IContainer['resources'] {
  return { requests: { cpu, memory }, limits: { cpu, memory } };
}

/**
 * Required node affinity: the app's pools (when the config names them) and, for a pod that
 * claims hot storage, the labels of the nodes that have the hot NVMe.
 */
export function placement(context: AppContext, tiers: readonly Tier[]): IAffinity | undefined {
  const requirements: INodeSelectorRequirement[] = [];
  if (context.app.pools?.length)
    requirements.push({ key: POOL_LABEL, operator: 'In', values: [...context.app.pools].sort() });
  if (tiers.includes('hot'))
    for (const [key, value] of Object.entries(context.tiers.hot.nodeLabels).sort())
      requirements.push({ key, operator: 'In', values: [value] });
  if (!requirements.length) return undefined;
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: requirements }] },
    },
  };
}

/** Keeps pods with these labels on different nodes: always (required), or when the scheduler can (preferred). */
export function spreadAcrossNodes(
  labels: Record<string, string>,
  how: 'required' | 'preferred',
): IAffinity['podAntiAffinity'] {
  const term = { labelSelector: { matchLabels: labels }, topologyKey: 'kubernetes.io/hostname' };
  return how === 'required'
    ? { requiredDuringSchedulingIgnoredDuringExecution: [term] }
    : { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: term }] };
}

/** Pods run as an unprivileged user with the runtime's default seccomp profile. */
export function nonRootPod(uid = 10001): IPodSecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: uid,
    runAsGroup: uid,
    fsGroup: uid,
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/** Containers cannot gain privileges and keep no Linux capabilities. */
export const NO_PRIVILEGES: ISecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  readOnlyRootFilesystem: true,
};
