// Every kind this layer renders, by apiVersion and kind, with the validator check uses to read it
// back from disk. A kind missing here is a kind nothing can vouch for, and check says so.
import { HelmRelease } from '@kubernetes-models/flux-cd/helm.toolkit.fluxcd.io/v2';
import { Kustomization } from '@kubernetes-models/flux-cd/kustomize.toolkit.fluxcd.io/v1';
import { GitRepository, HelmRepository } from '@kubernetes-models/flux-cd/source.toolkit.fluxcd.io/v1';
import { DaemonSet, Deployment, StatefulSet } from 'kubernetes-models/apps/v1';
import { CronJob, Job } from 'kubernetes-models/batch/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { PriorityClass } from 'kubernetes-models/scheduling.k8s.io/v1';
import { StorageClass } from 'kubernetes-models/storage.k8s.io/v1';
import { ConfigMap, Namespace, PersistentVolumeClaim, Secret, Service } from 'kubernetes-models/v1';
import { CloudError } from '@personal-cloud/cluster';
import { Certificate, ClusterIssuer } from './crds/cert-manager';
import { ReplicationDestination, ReplicationSource } from './crds/volsync';
import { built, type Manifest, type TypedModel } from './manifest';

type ModelClass = new (data: never) => TypedModel;

const MODELS: ModelClass[] = [
  Namespace,
  Service,
  ConfigMap,
  Secret,
  PersistentVolumeClaim,
  Deployment,
  StatefulSet,
  DaemonSet,
  CronJob,
  Job,
  Ingress,
  PodDisruptionBudget,
  PriorityClass,
  StorageClass,
  GitRepository,
  HelmRepository,
  Kustomization,
  HelmRelease,
] as unknown as ModelClass[];

const CUSTOM = [ReplicationSource, ReplicationDestination, ClusterIssuer, Certificate];

const key = (apiVersion: string, kind: string) => `${apiVersion}/${kind}`;

const VALIDATORS = new Map<string, (object: Manifest) => void>([
  ...MODELS.map((Model) => {
    const sample = new Model({} as never);
    return [key(sample.apiVersion, sample.kind), (object: Manifest) => void built(new Model(object as never))] as const;
  }),
  ...CUSTOM.map(
    (resource) => [key(resource.apiVersion, resource.kind), (object: Manifest) => resource.validate(object)] as const,
  ),
]);

/** The kinds check can validate, as `apiVersion/kind`. */
export const KNOWN_KINDS: readonly string[] = [...VALIDATORS.keys()].sort();

/** Validates an object read back from YAML; throws a CloudError naming it and the field at fault. */
export function validateManifest(object: Manifest): void {
  const validate = VALIDATORS.get(key(object.apiVersion, object.kind));
  if (!validate)
    throw new CloudError(
      `${object.apiVersion} ${object.kind} is not a kind this layer renders; allowed: ${KNOWN_KINDS.join(', ')}`,
    );
  validate(object);
}
