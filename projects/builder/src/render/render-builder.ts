// The config and the vault's vars → every file under dist/builder/render/. Pure: everything it
// needs comes in, and the same input gives the same bytes.
import { CloudError, type LayerConfig, type NodeModel, type VarsDocument } from '@personal-cloud/cluster';
import { builderKeys, OPERATOR_BUILDER_CLIENT_KEY } from '../keys/builder-keys';
import { readBuilderFacts } from './builder-facts';
import { BUILDER, CACHE_APP, OXYGEN_K3S, PUSH } from './builder-settings';
import { buildMachines, type BuildMachine } from './build-machines';
import {
  authorizedKeys,
  containerfile,
  containerNixConf,
  ENTRYPOINT_SH,
  HEALTHCHECK_SH,
  podmanRunArgs,
  sshdConfig,
} from './container-files';
import { BUILDER_WORKLOAD, builderWorkloadYaml } from './builder-workload';
import { k3sAgentConfig } from './k3s-agent';
import { oxygenModuleData } from './oxygen-module';
import { builderEndpoint, builderSshConfig, machinesFile, operatorNixConf } from './operator-files';
import { builderUnit, k3sAgentUnit, pushUnit } from './systemd-units';
import { plainFileCommands } from './plain-file-commands';

/** The data of Oxygen's NixOS module, under dist/builder/render. */
export const OXYGEN_MODULE_DATA = 'nixos/oxygen.json';

export interface RenderBuilderInput {
  config: LayerConfig<'builder'>;
  nodes: NodeModel[];
  vars: VarsDocument;
  /** The flake reference of the hosts' pinned nixpkgs, e.g. github:NixOS/nixpkgs/<rev>. */
  nixpkgs: string;
}

export interface RenderedBuilder {
  /** What render did, in one line. */
  summary: string;
  /** Path under dist/builder/render → contents. Empty when Oxygen is off or a var is missing. */
  files: Record<string, string>;
  /** Files that must be executable in the image. */
  executables: string[];
  /** The vars render could not do without; check fails while any is listed. */
  missingVars: string[];
  /** Oxygen (and the workers, with clusterFallback) as NixOS's nix.buildMachines takes them, for the hosts' JSON. */
  buildMachines: BuildMachine[];
}

export function renderBuilder({ config, nodes, vars, nixpkgs }: RenderBuilderInput): RenderedBuilder {
  const oxygen = config.oxygen;
  const none = { files: {}, executables: [], missingVars: [], buildMachines: [] };
  if (!oxygen?.enabled) return { summary: 'oxygen is not enabled in the config: nothing to render.', ...none };
  const reading = readBuilderFacts(builderKeys(config.name), vars);
  if (!reading.facts)
    return { ...none, summary: `${oxygen.hostname} cannot be rendered yet.`, missingVars: reading.missing };
  const facts = reading.facts;
  const isBuilder = oxygen.roles.includes('builder');
  const isWorker = oxygen.roles.includes('worker');
  const files: Record<string, string> = {};
  let machines: BuildMachine[] = [];

  if (isBuilder) {
    const cacheUrl = cacheUrlOf(config);
    machines = buildMachines(oxygen, nodes, facts, OPERATOR_BUILDER_CLIENT_KEY);
    Object.assign(files, {
      'container/Containerfile': containerfile(nixpkgs),
      'container/entrypoint.sh': ENTRYPOINT_SH,
      'container/healthcheck.sh': HEALTHCHECK_SH,
      'container/sshd_config': sshdConfig(facts),
      'container/nix.conf': containerNixConf(oxygen.builder, facts, cacheUrl),
      'container/authorized_keys': authorizedKeys(facts),
      [`systemd/${BUILDER.unit}`]: builderUnit(podmanRunArgs(oxygen.builder)),
      [`systemd/${PUSH.unit}`]: pushUnit(config.name),
      'operator/machines': machinesFile(machines),
      'operator/nix.conf': operatorNixConf(facts, cacheUrl),
      'operator/ssh_config': builderSshConfig(builderEndpoint(oxygen.hostname, OPERATOR_BUILDER_CLIENT_KEY)),
    });
  }
  const agent = isWorker ? k3sAgentConfig(config, nodes, facts) : null;
  if (agent)
    Object.assign(files, {
      'k3s/config.yaml': `${JSON.stringify(agent, null, 2)}\n`,
      [`systemd/${OXYGEN_K3S.unit}`]: k3sAgentUnit(),
    });
  // The handover's workload needs Oxygen as a node: the builder on a worker Oxygen, managed by Kubernetes.
  if (isBuilder && agent && oxygen.builder.managedBy === 'kubernetes')
    files[BUILDER_WORKLOAD.file] = builderWorkloadYaml(oxygen, config.name);
  files[OXYGEN_MODULE_DATA] = `${JSON.stringify(oxygenModuleData(oxygen, agent, config.name), null, 2)}\n`;
  files['commands.txt'] = plainFileCommands({ builder: isBuilder, worker: isWorker });
  return {
    summary: summaryOf(oxygen, machines),
    files,
    executables: isBuilder ? ['container/entrypoint.sh', 'container/healthcheck.sh'] : [],
    missingVars: [],
    buildMachines: machines,
  };
}

/** attic serves a cache at https://<host>/<cache name>; the cache is named after the cluster. */
export function cacheUrlOf(config: LayerConfig<'builder'>): string {
  const app = config.apps.find((a) => a.name === CACHE_APP);
  if (!app?.host)
    throw new CloudError(
      `oxygen.roles has builder, which pushes to and substitutes from the cluster's binary cache, but apps has no "${CACHE_APP}" app with a host: add it (attic) or remove builder from oxygen.roles.`,
    );
  return `https://${app.host}/${config.name}`;
}

/** Names and counts only: vars' values (Oxygen's address) stay in dist/ and the vault, never in the log. */
function summaryOf(oxygen: NonNullable<LayerConfig<'builder'>['oxygen']>, machines: BuildMachine[]): string {
  const parts = [`${oxygen.hostname}: ${oxygen.roles.join(' and ')}`];
  if (oxygen.roles.includes('builder'))
    parts.push(
      `builder container ${oxygen.builder.cpus} CPUs, ${oxygen.builder.memoryGb} GB, managed by ${oxygen.builder.managedBy}; ${machines.length} build machine(s)`,
    );
  if (oxygen.roles.includes('worker')) parts.push(`k3s agent with ${oxygen.taints.length} taint(s)`);
  return `${parts.join('; ')}.`;
}
