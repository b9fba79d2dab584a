// A rendered Kubernetes object: plain JSON, built from a typed model and validated on the way out.
import { CloudError } from '@personal-cloud/cluster';

export interface ObjectMeta {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/** Any Kubernetes object as it is written to YAML. */
export interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [field: string]: unknown;
}

/** What kubernetes-models and @kubernetes-models/flux-cd classes have in common. */
export interface TypedModel {
  apiVersion: string;
  kind: string;
  validate(): void;
  toJSON(): unknown;
}

/** `Deployment website/website`: how messages name an object. */
export function describeObject(object: Pick<Manifest, 'kind' | 'metadata'>): string {
  const { name, namespace } = object.metadata ?? {};
  return `${object.kind} ${namespace ? `${namespace}/` : ''}${name ?? '(unnamed)'}`;
}

/** Validates a model against its OpenAPI schema and returns it as plain JSON (undefined fields dropped). */
export function built(model: TypedModel): Manifest {
  try {
    model.validate();
  } catch (error) {
    const name = (model as unknown as Manifest).metadata?.name;
    throw new CloudError(
      `${model.kind} ${name ?? '(unnamed)'} is not a valid ${model.apiVersion} ${model.kind}: ${(error as Error).message}`,
    );
  }
  return JSON.parse(JSON.stringify(model.toJSON())) as Manifest;
}
