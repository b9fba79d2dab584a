// The failover drill: power one control-plane server off through the API, show that etcd keeps
// its quorum and the Kubernetes API still answers from the others, power it back on and wait
// until it is Ready again. The same code rehearses in the sandbox and runs against Hetzner.
import { CloudError } from '@personal-cloud/cluster';
import { hcloud, openWorld } from '@personal-cloud/infra';
import { chooseExecutor } from '../executor/choose-executor';
import type { MachineTarget } from '../executor/machine-executor';
import { loadHostsInputs } from '../hosts-inputs';
import { renderHosts } from '../render/render-hosts';
import { machineTarget } from '../provision/machine-targets';
import { waitReady, type RunClock } from '../provision/wait-ready';
import { OPERATOR_KEY_TOKEN } from '@personal-cloud/layer-kit';

export interface DrillOptions {
  env?: NodeJS.ProcessEnv;
  /** The server to power off; default the first control-plane server. */
  node?: string;
  clock?: RunClock;
  log?: (line: string) => void;
}

export async function failoverDrill(options: DrillOptions = {}): Promise<void> {
  const env = options.env ?? process.env;
  const log = options.log ?? console.log;
  const clock = options.clock ?? { now: Date.now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const inputs = await loadHostsInputs(env);
  const document = renderHosts(inputs);
  const servers = Object.values(document.nodes).filter((n) => n.k3s.role === 'server');
  if (servers.length < 3)
    throw new CloudError(
      `the failover drill needs at least three control-plane servers; phase ${document.phase} has ${servers.length}, which cannot keep quorum with one off.`,
    );
  const victim = servers.find((s) => s.name === (options.node ?? servers[0]!.name));
  if (!victim)
    throw new CloudError(
      `--node=${options.node} is not a control-plane server of phase ${document.phase}; allowed: ${servers.map((s) => s.name).join(', ')}.`,
    );
  const tokens = await inputs.vault.read('tokens');
  const target = (name: string): MachineTarget => machineTarget(document.nodes[name]!, tokens);
  const witness = servers.find((s) => s !== victim)!;

  const world = await openWorld(env);
  try {
    const client = new hcloud.HcloudClient({
      endpoint: world.endpoint,
      token: world.token,
      now: clock.now,
      sleep: clock.sleep,
    });
    const executor = await chooseExecutor({
      endpoint: world.endpoint,
      clock,
      ssh: () => ({
        operatorPrivateKey: tokens[OPERATOR_KEY_TOKEN] ?? '',
        hostNames: Object.fromEntries(servers.map((s) => [s.name, s.hostName])),
      }),
    });
    const before = await executor.etcdMembers(target(witness.name));
    const down = before.filter((m) => !m.up);
    if (down.length)
      throw new CloudError(
        `etcd is not healthy before the drill (${down.map((m) => m.name).join(', ')} down); nothing was powered off.`,
      );
    log(`drill: etcd has ${before.length} members, all up; powering ${victim.name} off through the API.`);
    await client.waitForActions(await hcloud.servers.powerOff(client, victim.hetznerId));
    try {
      const during = await executor.etcdMembers(target(witness.name));
      const up = during.filter((m) => m.up).length;
      log(
        `drill: ${victim.name} off: etcd ${up}/${during.length} up (${during.map((m) => `${m.name} ${m.up ? 'up' : 'down'}`).join(', ')}), quorum kept.`,
      );
      await executor.fetchKubeconfig(target(witness.name), witness.tailscale.hostname);
      log(`drill: the Kubernetes API still answers on ${witness.name} (https://${witness.tailscale.hostname}:6443).`);
    } finally {
      await client.waitForActions(await hcloud.servers.powerOn(client, victim.hetznerId));
    }
    log(`drill: ${victim.name} powered on; waiting for it to be Ready with a healthy etcd member.`);
    await waitReady(executor, target(victim.name), 'server', clock);
    log(`drill: passed: ${victim.name} is Ready again and etcd has all ${before.length} members up.`);
  } finally {
    await world.close();
  }
}
