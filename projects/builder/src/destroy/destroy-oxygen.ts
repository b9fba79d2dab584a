// builder:destroy's work: tear down on Oxygen what provision set up (oxygen-teardown.ts), then
// have a k3s server delete Oxygen's Node object. Oxygen or the cluster not answering is a line
// that says what was skipped, never a failure: the teardown of the layers below must go on.
import { OxygenStepError, type OxygenExecutor, type OxygenTarget } from '../provision/oxygen-executor';
import { oxygenTeardown } from '../provision/oxygen-teardown';
import { BUILDER } from '../render/builder-settings';
import type { Kubectl } from '../provision/kubectl';

/** Deletes a Node object through the cluster's API; whether it existed. Throws OxygenStepError when no server answers. */
export interface NodeRemover {
  deleteNode(node: string, servers: readonly { name: string; serverId: number | null }[]): Promise<boolean>;
}

/** `kubectl delete node` with the vault's kubeconfig; null when the vault has none. */
export function kubectlNodeRemover(kubectl: Kubectl | null): NodeRemover {
  return {
    async deleteNode(node) {
      if (!kubectl)
        throw new OxygenStepError('delete node', 'unreachable', "the vault's tokens hold no kubeconfig to reach it.");
      const result = await kubectl(['delete', 'node', node, '--ignore-not-found', '-o', 'name']);
      if (!result.ok) throw new OxygenStepError('delete node', 'unreachable', `kubectl said: ${result.lastLine}.`);
      return result.stdout.trim() !== '';
    },
  };
}

export interface DestroyOxygenInput {
  target: OxygenTarget;
  purgeStore: boolean;
  /** Whether Oxygen is a k3s agent (the worker role): only then is there a Node to delete. */
  worker: boolean;
  servers: readonly { name: string; serverId: number | null }[];
}

export async function destroyOxygen(
  executor: OxygenExecutor,
  nodes: NodeRemover,
  input: DestroyOxygenInput,
  log: (line: string) => void,
): Promise<void> {
  const { target } = input;
  const teardown = oxygenTeardown(input.purgeStore);
  try {
    await executor.teardown(target, teardown);
    log(
      `builder: ${target.name}: the builder's units, container and image and the k3s agent are gone; ${input.purgeStore ? `the store's volume ${BUILDER.nixVolume} was removed` : `the store's volume ${BUILDER.nixVolume} is kept (--purge-store removes it)`}.`,
    );
  } catch (error) {
    if (!(error instanceof OxygenStepError)) throw error;
    log(
      `builder: skipped the teardown on ${target.name}: ${error.message.replace(/\.$/, '')}; run \`npx nx run builder:destroy\` again when it answers.`,
    );
  }
  if (!input.worker) return;
  try {
    const deleted = await nodes.deleteNode(target.name, input.servers);
    log(`builder: the cluster ${deleted ? 'no longer lists' : 'did not list'} the node ${target.name}.`);
  } catch (error) {
    if (!(error instanceof OxygenStepError)) throw error;
    log(`builder: skipped deleting the node ${target.name} from the cluster: ${error.message.replace(/\.$/, '')}`);
  }
}
