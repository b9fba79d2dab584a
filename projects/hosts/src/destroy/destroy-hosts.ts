// hosts' destroy, between k8s-apps' and the builder's and infra's: what can be undone without the
// servers is done whatever they say, and nothing here stops the teardown below. Each node that
// answers leaves the tailnet (else the nodes of a rebuilt cloud would be renamed `<name>-1` there);
// one that does not is named, with what the operator can do instead. Then hosts forgets its state
// and the kubeconfig in the vault: the servers go with infra, and a later provision starts afresh.
import { hetznerName } from '@personal-cloud/cluster';
import { openLayerVault, openWorld } from '@personal-cloud/infra';
import { chooseExecutor } from '../executor/choose-executor';
import { loadHostsInputs, type HostsInputs } from '../hosts-inputs';
import { KUBECONFIG_TOKEN, OPERATOR_KEY_TOKEN } from '@personal-cloud/layer-kit';
import { recordedTarget } from '../provision/machine-targets';
import type { RunClock } from '../provision/wait-ready';
import { HOSTS_LAYER } from '../state/hosts-state';

export interface DestroyHostsRun {
  env: NodeJS.ProcessEnv;
  clock?: RunClock;
}

export interface DestroyHostsResult {
  /** Nodes that left the tailnet. */
  leftTailnet: string[];
  /** What was not done, and why: a node that does not answer, a vault that could not be written. */
  skipped: { what: string; reason: string }[];
  /** hosts' state and the kubeconfig: forgotten, not there to begin with, or kept (the vault could not be written). */
  vault: 'forgotten' | 'empty' | 'kept';
}

export async function destroyHosts(run: DestroyHostsRun): Promise<DestroyHostsResult> {
  const result: DestroyHostsResult = { leftTailnet: [], skipped: [], vault: 'kept' };
  const reasonOf = (error: unknown) => (error as Error).message.replace(/\.$/, '');
  let inputs: HostsInputs | undefined;
  try {
    inputs = await loadHostsInputs(run.env);
    if (inputs.config.tailscale.enabled) await leaveTailnet(inputs, run, result);
  } catch (error) {
    result.skipped.push({ what: 'leaving the tailnet', reason: reasonOf(error) });
  }
  try {
    const vault = inputs?.vault ?? (await openLayerVault(run.env));
    result.vault = await vault.withLock('hosts: destroy', async (session) => {
      const [state, tokens] = await Promise.all([session.read('state'), session.read('tokens')]);
      const { [HOSTS_LAYER]: hosts, ...layers } = state.layers;
      const { [KUBECONFIG_TOKEN]: kubeconfig, ...kept } = tokens;
      if (hosts === undefined && kubeconfig === undefined) return 'empty';
      await session.writeAll(
        { state: { ...state, layers }, tokens: kept },
        "hosts: destroy: forget hosts' state and the kubeconfig",
      );
      return 'forgotten';
    });
  } catch (error) {
    result.skipped.push({ what: "forgetting hosts' state", reason: reasonOf(error) });
  }
  return result;
}

/** Every node hosts deployed leaves the tailnet, all at once; one that cannot is named with what to do instead. */
async function leaveTailnet(inputs: HostsInputs, run: DestroyHostsRun, result: DestroyHostsResult): Promise<void> {
  const { config, vault, vars, hostsState } = inputs;
  const nodes = Object.keys(hostsState.deployed).sort(byName);
  if (!nodes.length) return;
  const tokens = await vault.read('tokens');
  const world = await openWorld(run.env);
  try {
    const executor = await chooseExecutor({
      endpoint: world.endpoint,
      clock: run.clock,
      ssh: () => ({
        operatorPrivateKey: tokens[OPERATOR_KEY_TOKEN] ?? '',
        hostNames: Object.fromEntries(nodes.map((node) => [node, hetznerName(config.name, node)])),
        connectTimeoutSeconds: 5,
      }),
    });
    try {
      await Promise.all(
        nodes.map(async (node) => {
          const name = hetznerName(config.name, node);
          try {
            await executor.leaveTailnet(recordedTarget(node, vars, tokens, hostsState.deployed[node]?.serverId));
            result.leftTailnet.push(node);
          } catch (error) {
            result.skipped.push({
              what: `${node} leaving the tailnet`,
              reason: `${(error as Error).message.replace(/\.$/, '')}; remove ${name} in Tailscale's admin console, or a new node of that name becomes ${name}-1 there`,
            });
          }
        }),
      );
    } finally {
      await (executor as { close?: () => Promise<void> }).close?.();
    }
  } finally {
    await world.close();
  }
  result.leftTailnet.sort(byName);
  result.skipped.sort((a, b) => byName(a.what, b.what));
}

/** `worker-2` before `worker-10`. */
const byName = (a: string, b: string) => a.localeCompare(b, 'en', { numeric: true });

/** What the destroy did and skipped, for the operator. */
export function formatDestroyHosts(result: DestroyHostsResult): string[] {
  return [
    ...(result.leftTailnet.length ? [`hosts: destroy: ${result.leftTailnet.join(', ')} left the tailnet.`] : []),
    ...result.skipped.map((s) => `hosts: destroy: skipped ${s.what}: ${s.reason}.`),
    {
      forgotten:
        "hosts: destroy: forgot hosts' state and the kubeconfig in the vault (the host keys and the k3s token stay); the servers go with infra:destroy, and the next hosts:provision installs every node afresh.",
      empty: "hosts: destroy: the vault holds no hosts' state or kubeconfig; nothing to forget.",
      kept: "hosts: destroy: hosts' state was kept in the vault; the next hosts:provision finds the servers replaced and installs them afresh.",
    }[result.vault],
  ];
}
