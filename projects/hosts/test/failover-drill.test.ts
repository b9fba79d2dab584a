// The failover drill in the sandbox: one control-plane server powered off through the API drops
// out of etcd's quorum without breaking it, the API answers from another, and it comes back Ready;
// then hosts' destroy with a server off.
import { afterEach, describe, expect, it } from 'vitest';
import { hcloud } from '@personal-cloud/infra';
import { destroyHosts, formatDestroyHosts } from '../src/destroy/destroy-hosts';
import { failoverDrill } from '../src/drill/failover-drill';
import { hostsCloud, type HostsCloud } from './support-sandbox/hosts-cloud';

let cloud: HostsCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

const drill = (c: HostsCloud, node?: string) => {
  const lines: string[] = [];
  return failoverDrill({
    env: c.env,
    node,
    clock: { now: c.clock.now, sleep: c.clock.sleep },
    log: (line) => lines.push(line),
  }).then(() => lines);
};

describe('hosts:failover-drill in the sandbox', () => {
  it('powers master-2 off and on: etcd keeps 2 of 3 up, the API answers, master-2 is Ready again; destroy then skips it when off', async () => {
    cloud = await hostsCloud({ phase: 2 });
    await cloud.infra();
    await cloud.hosts();
    const before = cloud.sandbox.machines.journal.all().length;
    const lines = await drill(cloud, 'master-2');
    expect(lines).toEqual([
      'drill: etcd has 3 members, all up; powering master-2 off through the API.',
      'drill: master-2 off: etcd 2/3 up (master-1 up, master-2 down, master-3 up), quorum kept.',
      'drill: the Kubernetes API still answers on master-1 (https://pc-master-1:6443).',
      'drill: master-2 powered on; waiting for it to be Ready with a healthy etcd member.',
      'drill: passed: master-2 is Ready again and etcd has all 3 members up.',
    ]);
    const during = cloud.sandbox.machines.journal
      .all()
      .slice(before)
      .find((e) => e.step === 'etcd-members' && e.cluster.members.some((m) => !m.up))!;
    expect(during.cluster).toMatchObject({
      quorum: true,
      members: [{ up: true }, { name: 'master-2', up: false }, { up: true }],
    });
    expect(cloud.sandbox.machines.snapshot().cluster.ready).toEqual(['master-1', 'master-2', 'master-3', 'worker-1']);

    // hosts:destroy with master-2 off: the others leave the tailnet, master-2 is named, and hosts'
    // state and the kubeconfig are forgotten all the same.
    const off = (await cloud.hostsState()).deployed['master-2']!.serverId!;
    await cloud.client.waitForActions(await hcloud.servers.powerOff(cloud.client, off));
    const result = await destroyHosts({ env: cloud.env, clock: { now: cloud.clock.now, sleep: cloud.clock.sleep } });
    expect(result.leftTailnet).toEqual(['master-1', 'master-3', 'worker-1']);
    expect(result.skipped).toEqual([
      {
        what: 'master-2 leaving the tailnet',
        reason: `tailscale-logout on master-2: master-2 does not answer: server ${off} is powered off; remove pc-master-2 in Tailscale's admin console, or a new node of that name becomes pc-master-2-1 there`,
      },
    ]);
    expect(result.vault).toBe('forgotten');
    const vault = await cloud.vault();
    expect((await vault.read('state')).layers.hosts).toBeUndefined();
    expect((await vault.read('tokens')).KUBECONFIG).toBeUndefined();
    expect(formatDestroyHosts(result)[0]).toBe('hosts: destroy: master-1, master-3, worker-1 left the tailnet.');
    expect((await destroyHosts({ env: cloud.env })).vault).toBe('empty');
  });

  it('refuses in phase 1 and names a node that is not a control-plane server, powering nothing off', async () => {
    cloud = await hostsCloud({ phase: 1 });
    await cloud.infra();
    await expect(drill(cloud)).rejects.toThrow(
      'the failover drill needs at least three control-plane servers; phase 1 has 1, which cannot keep quorum with one off.',
    );
    await cloud.setConfig((c) => {
      c.phase = 2;
    });
    await cloud.infra();
    await expect(drill(cloud, 'worker-1')).rejects.toThrow(
      '--node=worker-1 is not a control-plane server of phase 2; allowed: master-1, master-2, master-3.',
    );
    expect(cloud.sandbox.machines.journal.all()).toEqual([]);
  });
});
