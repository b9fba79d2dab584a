// The top-level config fields each layer reads, and where cluster:render writes each layer's
// slice of them: the one place both are written. No runtime import beyond this file, so the Nx
// plugin reads it to key each layer on its slice without loading zod (see config-slices.ts).
import type { ClusterConfig } from './config-schema';

/** The top-level config fields each layer reads, everything it does with the config included. */
export const LAYER_CONFIG_FIELDS = {
  infra: ['name', 'phase', 'location', 'operator', 'networks', 'pools', 'firewall', 'tailscale'],
  builder: ['name', 'phase', 'location', 'networks', 'pools', 'oxygen', 'apps'],
  hosts: ['name', 'phase', 'location', 'operator', 'networks', 'pools', 'firewall', 'tailscale', 'storage'],
  'k8s-apps': [
    'name',
    'phase',
    'location',
    'networks',
    'pools',
    'firewall',
    'storage',
    'oxygen',
    'apps',
    'gitops',
    'acme',
  ],
} as const satisfies Record<string, readonly (keyof ClusterConfig)[]>;

export type SliceLayer = keyof typeof LAYER_CONFIG_FIELDS;
export const SLICE_LAYERS = Object.keys(LAYER_CONFIG_FIELDS) as SliceLayer[];

/** Where cluster:render writes the slices (under its output, so Nx caches and restores them with it). */
export const SLICES_DIR = 'dist/cluster/render/slices';

export function sliceFile(layer: SliceLayer): string {
  return `${SLICES_DIR}/${layer}.json`;
}
