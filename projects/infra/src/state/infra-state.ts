// What the infra layer keeps in the vault. State: each resource's ID and the hash of the spec
// last applied to it (drift tells "changed outside" from "config changed" by that hash).
// Vars: the seed's vars.CLUSTER.<NODE>.{ip, hetzner_id, …}, for the layers after this one.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { CloudError, type DesiredResource, type NodeModel } from '@personal-cloud/cluster';
import type { State, Vars } from '@personal-cloud/vault';

export const INFRA_LAYER = 'infra';

const infraStateSchema = z.strictObject({
  resources: z.record(z.string(), z.strictObject({ id: z.number().int().positive(), specHash: z.string() })),
});
export type InfraState = z.infer<typeof infraStateSchema>;

export function readInfraState(state: State): InfraState {
  const raw = state.layers[INFRA_LAYER];
  if (raw === undefined) return { resources: {} };
  const parsed = infraStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CloudError(
      `the vault's state document has a malformed layers.infra at ${['layers', 'infra', ...issue.path].join('.')} (${issue.message}); repair it with \`npm run state -- edit state\`.`,
    );
  }
  return parsed.data;
}

export function withInfraState(state: State, infra: InfraState): State {
  return { ...state, layers: { ...state.layers, [INFRA_LAYER]: infra } };
}

/** A stable hash of a desired resource: key order does not matter. */
export function specHash(resource: DesiredResource): string {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(canonical)
      : value && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .flatMap((k) =>
                (value as Record<string, unknown>)[k] === undefined
                  ? []
                  : [[k, canonical((value as Record<string, unknown>)[k])]],
              ),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(canonical(resource)))
    .digest('hex')
    .slice(0, 16);
}

export interface ServerFacts {
  id: number;
  privateIp?: string;
  /** The private interface's MAC address; known from a listing, not from the create answer. */
  privateMac?: string;
  publicIpv4?: string | null;
  publicIpv6?: string | null;
}

/** vars.CLUSTER.<NODE> for a server that exists now. */
export function withServerVars(vars: Vars, node: NodeModel, facts: ServerFacts): Vars {
  const cluster = (vars.CLUSTER as Vars | undefined) ?? {};
  const previous = (cluster[node.varsKey] as Vars | undefined) ?? {};
  // Other layers may keep their own facts here; only ours are replaced, and an address that is gone is removed.
  const { public_ipv4: _v4, public_ipv6: _v6, ...others } = previous;
  const entry: Vars = {
    ...others,
    hetzner_id: String(facts.id),
    hetzner_name: node.hetznerName,
    ip: facts.privateIp ?? node.privateIp,
  };
  if (facts.privateMac) entry.private_mac = facts.privateMac;
  if (facts.publicIpv4) entry.public_ipv4 = facts.publicIpv4;
  if (facts.publicIpv6) entry.public_ipv6 = facts.publicIpv6;
  return { ...vars, CLUSTER: { ...cluster, [node.varsKey]: entry } };
}

/**
 * vars.CLUSTER.<NODE>.volumes.<volume>.hetzner_id: the hosts layer mounts a volume by this id
 * (/dev/disk/by-id/scsi-0HC_Volume_<id>). Without an id the entry is removed: the volume is gone.
 */
export function withVolumeVars(vars: Vars, node: NodeModel, volume: string, id: number | undefined): Vars {
  const cluster = (vars.CLUSTER as Vars | undefined) ?? {};
  const entry = (cluster[node.varsKey] as Vars | undefined) ?? {};
  const { [volume]: _previous, ...others } = (entry.volumes as Vars | undefined) ?? {};
  const volumes: Vars = id === undefined ? others : { ...others, [volume]: { hetzner_id: String(id) } };
  const { volumes: _old, ...rest } = entry;
  const next: Vars = Object.keys(volumes).length ? { ...rest, volumes } : rest;
  if (Object.keys(next).length) return { ...vars, CLUSTER: { ...cluster, [node.varsKey]: next } };
  const { [node.varsKey]: _gone, ...nodes } = cluster;
  return { ...vars, CLUSTER: nodes };
}

/** vars without the node: its server is gone. */
export function withoutServerVars(vars: Vars, varsKey: string): Vars {
  const cluster = { ...((vars.CLUSTER as Vars | undefined) ?? {}) };
  delete cluster[varsKey];
  return { ...vars, CLUSTER: cluster };
}
