// After a deploy: probe the node until it reports Ready (and, for a server, a healthy etcd
// member), at the executor's pace, up to its timeout. Waits on the run's clock.
import { MachineStepError, type MachineExecutor, type MachineTarget } from '../executor/machine-executor';

export interface RunClock {
  now: () => number;
  sleep: (ms: number) => Promise<void>;
}

export async function waitReady(
  executor: MachineExecutor,
  target: MachineTarget,
  role: 'server' | 'agent',
  clock: RunClock,
  stop?: AbortSignal,
): Promise<void> {
  const deadline = clock.now() + executor.timing.readyTimeoutMs;
  for (;;) {
    const probe = await executor.probe(target);
    const ready = probe.k3s?.ready === true && (role === 'agent' || probe.etcd.healthy);
    if (ready) return;
    if (clock.now() >= deadline || stop?.aborted) {
      const what = role === 'server' ? 'Ready with a healthy etcd member' : 'Ready';
      const seen = !probe.k3s
        ? 'k3s is not running'
        : !probe.k3s.ready
          ? 'the node is NotReady'
          : 'its etcd member is not healthy';
      throw new MachineStepError(
        target.node,
        'wait-ready',
        'failed',
        `${target.node} was not ${what} within ${Math.round(executor.timing.readyTimeoutMs / 1000)} s (${seen})`,
      );
    }
    await clock.sleep(executor.timing.pollMs);
  }
}
