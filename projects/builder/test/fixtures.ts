// The seed's cloud with Oxygen as builder and worker, the vars the key step and the operator
// would have recorded for it, and the builder's files rendered from them.
import {
  nodesInPhase,
  parseClusterConfig,
  setVar,
  type ClusterConfig,
  type Phase,
  type VarsDocument,
} from '@personal-cloud/cluster';
import { seedConfig } from '../../cluster/test/fixtures';
import { renderBuilder, type RenderedBuilder } from '../src/render/render-builder';

export const HOST_PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI pc-builder';
export const CLIENT_PUBLIC_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZj3QNycjVxQy9ypAZwVOL6KEhdoTk+KpsWGrUObCsn pc-builder-client';
export const CACHE_PUBLIC_KEY = 'pc-cache-1:2EY707pLEOWRb2X6ewwfn5H2fKQMwltIgQ+y9aM0BIg=';
export const OXYGEN_IP = '100.64.0.7';
export const NIXPKGS = 'github:NixOS/nixpkgs/e38213b91d3786389a446dfce4ff5a8aaf6012f2';

export function builderConfig(
  phase: Phase = 4,
  change: (c: ReturnType<typeof seedConfig>) => void = () => {},
): ClusterConfig {
  const c = seedConfig();
  c.phase = phase;
  c.oxygen = {
    enabled: true,
    hostname: 'oxygen',
    roles: ['builder', 'worker'],
    labels: { 'personal-cloud/builder': 'true' },
    taints: ['personal-cloud/builder=true:NoSchedule'],
    builder: {
      systems: ['x86_64-linux'],
      maxJobs: 8,
      speedFactor: 4,
      features: ['big-parallel', 'kvm', 'nixos-test'],
      cpus: 6,
      memoryGb: 16,
    },
  };
  c.apps.push({
    name: 'nix-cache',
    image: 'ghcr.io/zhaofengli/attic:0.1.0',
    port: 8080,
    host: 'cache.example.org',
    storage: { tier: 'warm', sizeGb: 200 },
  });
  change(c);
  return parseClusterConfig(c);
}

export function builderVars(): VarsDocument {
  let vars: VarsDocument = {};
  vars = setVar(vars, 'BUILDER.ssh_host_public_key', HOST_PUBLIC_KEY);
  vars = setVar(vars, 'BUILDER.client_public_key', CLIENT_PUBLIC_KEY);
  vars = setVar(vars, 'CACHE.public_key', CACHE_PUBLIC_KEY);
  vars = setVar(vars, 'OXYGEN.tailscale_ip', OXYGEN_IP);
  return vars;
}

export function renderAt(
  phase: Phase = 4,
  change?: (c: ReturnType<typeof seedConfig>) => void,
  vars: VarsDocument = builderVars(),
): RenderedBuilder {
  const config = builderConfig(phase, change);
  return renderBuilder({ config, nodes: nodesInPhase(config), vars, nixpkgs: NIXPKGS });
}
