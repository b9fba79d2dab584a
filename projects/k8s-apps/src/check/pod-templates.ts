// Where the pods of a workload are described, whatever its kind, and what they claim.
import type { IPodSpec, IPersistentVolumeClaim } from 'kubernetes-models/v1';
import type { Manifest } from '../manifest/manifest';

export interface PodTemplate {
  spec: IPodSpec;
  labels: Record<string, string>;
  /** StatefulSet claim templates: one claim per pod. */
  claimTemplates: IPersistentVolumeClaim[];
  replicas: number;
}

type WorkloadSpec = {
  replicas?: number;
  parallelism?: number;
  template?: { metadata?: { labels?: Record<string, string> }; spec?: IPodSpec };
  jobTemplate?: { spec?: WorkloadSpec };
  volumeClaimTemplates?: IPersistentVolumeClaim[];
};

export function podTemplate(object: Manifest): PodTemplate | undefined {
  const spec = object.spec as WorkloadSpec | undefined;
  if (!spec) return undefined;
  switch (object.kind) {
    case 'Deployment':
    case 'StatefulSet':
    case 'DaemonSet':
    case 'Job':
      return spec.template?.spec
        ? {
            spec: spec.template.spec,
            labels: spec.template.metadata?.labels ?? {},
            claimTemplates: spec.volumeClaimTemplates ?? [],
            replicas: spec.replicas ?? spec.parallelism ?? 1,
          }
        : undefined;
    case 'CronJob': {
      const job = spec.jobTemplate?.spec;
      return job?.template?.spec
        ? {
            spec: job.template.spec,
            labels: job.template.metadata?.labels ?? {},
            claimTemplates: [],
            replicas: job.parallelism ?? 1,
          }
        : undefined;
    }
    default:
      return undefined;
  }
}

/** The names of the standalone claims the pods mount. */
export function mountedClaims(spec: IPodSpec): string[] {
  return (spec.volumes ?? []).flatMap((volume) =>
    volume.persistentVolumeClaim ? [volume.persistentVolumeClaim.claimName] : [],
  );
}

/** Whether the pods must be on different nodes from each other (required anti-affinity on their own labels by hostname). */
export function spreadOnePerNode({ spec, labels: podLabels }: PodTemplate): boolean {
  return (spec.affinity?.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? []).some(
    (term) =>
      term.topologyKey === 'kubernetes.io/hostname' &&
      Object.entries(term.labelSelector?.matchLabels ?? {}).every(([k, v]) => podLabels[k] === v),
  );
}
