// Custom resources with no model package are described by a zod schema of the fields we use.
// Schemas are strict: a field the CRD version does not have is an error here, not at apply time.
import { z } from 'zod';
import { CloudError } from '@personal-cloud/cluster';
import type { Manifest } from '../manifest';

const rfc1123Subdomain = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

export const objectMeta = z.strictObject({
  name: z.string().regex(rfc1123Subdomain).max(253),
  namespace: z.string().optional(),
  labels: z.record(z.string(), z.string()).optional(),
  annotations: z.record(z.string(), z.string()).optional(),
});

/** A Kubernetes quantity such as 1Gi or 500M. */
export const quantity = z
  .string()
  .regex(/^[0-9]+(\.[0-9]+)?(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|m)?$/, 'must be a Kubernetes quantity, e.g. 10Gi');

export interface CustomResource<S extends z.ZodType> {
  apiVersion: string;
  kind: string;
  /** Validates and returns the object with apiVersion and kind set. */
  build(value: Omit<z.input<S>, 'apiVersion' | 'kind'>): Manifest;
  /** Throws a CloudError naming the first field at fault. */
  validate(object: unknown): void;
}

export function customResource<Spec extends z.ZodType>(apiVersion: string, kind: string, spec: Spec) {
  const schema = z.strictObject({
    apiVersion: z.literal(apiVersion),
    kind: z.literal(kind),
    metadata: objectMeta,
    spec,
  });
  const validate = (object: unknown): void => {
    const parsed = schema.safeParse(object);
    if (parsed.success) return;
    const issue = parsed.error.issues[0]!;
    const name = (object as Manifest).metadata?.name ?? '(unnamed)';
    throw new CloudError(
      `${kind} ${name} is not a valid ${apiVersion} ${kind}: ${issue.path.join('.') || '(root)'} ${issue.message}`,
    );
  };
  const resource: CustomResource<typeof schema> = {
    apiVersion,
    kind,
    build(value) {
      const object = { apiVersion, kind, ...value };
      validate(object);
      return JSON.parse(JSON.stringify(object)) as Manifest;
    },
    validate,
  };
  return resource;
}
