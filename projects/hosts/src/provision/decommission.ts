// Taking a worker that left the config out of the cluster, before infra deletes its server: drained
// and its node object deleted, both from a control-plane server (the first that answers), since an
// agent has no admin kubeconfig and the leaving worker may already be off.
import { MachineStepError, type MachineExecutor, type MachineTarget } from '../executor/machine-executor';

export async function decommissionWorker(
  executor: MachineExecutor,
  servers: readonly MachineTarget[],
  leaving: MachineTarget,
  note: (text: string) => void,
): Promise<void> {
  const silent: string[] = [];
  for (const via of servers) {
    try {
      note(`draining, from ${via.node}`);
      await executor.drain(via, leaving.node);
    } catch (error) {
      // Another server may answer; any other failure (no quorum, a drain that timed out) stops here.
      if (error instanceof MachineStepError && error.reason === 'unreachable') {
        silent.push(via.node);
        continue;
      }
      throw error;
    }
    note(`deleting its node object, from ${via.node}`);
    await executor.deleteNode(via, leaving);
    return;
  }
  throw new MachineStepError(
    leaving.node,
    'drain',
    'unreachable',
    `no control-plane server answers to drain ${leaving.node} from (${silent.join(', ') || 'none is left'})`,
  );
}
