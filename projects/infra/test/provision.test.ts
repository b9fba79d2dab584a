// Provisioning against the local Hetzner Cloud, end to end: the same functions the targets call.
import { afterEach, describe, expect, it } from 'vitest';
import { CloudError, desiredResources, parseClusterConfig } from '@personal-cloud/cluster';
import { describeContract } from '../../sandbox/test/contract';
import { destroyInfra, provisionInfra } from '../src/provision';
import { planChanges } from '../src/reconcile/plan-changes';
import { readInfraState } from '../src/state/infra-state';
import type { ObservedServer } from '../src/reconcile/observed';
import type { Action } from '../src/hcloud/resources/actions';
import { runTargetProcess } from './support/child-target';
import { fileExchanges, quietProgress, testCloud, type TestCloud } from './support/cloud';
import { SECRETS, seedConfig } from './fixtures';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

const run = (c: TestCloud, extra: Partial<Parameters<typeof provisionInfra>[0]> = {}) =>
  provisionInfra({ env: c.env, progress: quietProgress(), client: c.fast, ...extra });
const writes = (c: TestCloud) => c.sandbox.stats().writes;
const names = (observed: { type: string; name: string }[]) => observed.map((o) => `${o.type}/${o.name}`).sort();
const expected = (phase: number) => {
  const config = seedConfig();
  config.phase = phase;
  return names(
    desiredResources(parseClusterConfig(config), {
      sshPublicKey: config.operator.sshPublicKey,
      operatorAddress: config.operator.address,
    }),
  );
};

describe('provision against the sandbox', () => {
  it('builds phase 4 from nothing, records every ID and address, and a rerun writes nothing', async () => {
    cloud = await testCloud();
    const first = await run(cloud);
    expect(first.plan.changes).toHaveLength(19);
    const observed = await cloud.observed();
    expect(names(observed)).toEqual(expected(4));

    const vault = await cloud.vault();
    const state = readInfraState(await vault.read('state'));
    for (const o of observed) expect(state.resources[`${o.type}/${o.name}`]?.id).toBe(o.id);
    const vars = (await vault.read('vars')) as { CLUSTER: Record<string, Record<string, unknown>> };
    const master = observed.find((o): o is ObservedServer => o.name === 'pc-master-1')!;
    const mac = master.networks[0]?.mac;
    expect(mac).toMatch(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/);
    expect(master.networks).toEqual([{ name: 'pc-cloud', ip: '10.0.1.10', mac }]);
    expect(vars.CLUSTER.MASTER_1).toEqual({
      hetzner_id: String(master.id),
      hetzner_name: 'pc-master-1',
      ip: '10.0.1.10',
      private_mac: mac,
      public_ipv4: master.publicIpv4,
      public_ipv6: master.publicIpv6,
    });
    // The hosts layer mounts each volume by its Hetzner id.
    const volume = observed.find((o) => o.name === 'pc-worker-1-data')!;
    expect(vars.CLUSTER.WORKER_1!.volumes).toEqual({ data: { hetzner_id: String(volume.id) } });

    const before = cloud.sandbox.stats();
    const second = await run(cloud);
    const after = cloud.sandbox.stats();
    expect(second.plan.changes).toEqual([]);
    expect(after.writes - before.writes).toBe(0);
    const lists = Object.entries(after.requests)
      .map(([k, n]) => [k, n - (before.requests[k] ?? 0)] as const)
      .filter(([, n]) => n > 0);
    expect(lists.every(([k, n]) => k.startsWith('GET ') && n === 1)).toBe(true);
    expect(lists).toHaveLength(7);
  });

  it('moves through the phases by changing one field, keeping the phase-1 server', async () => {
    cloud = await testCloud({ phase: 1 });
    await run(cloud);
    const worker = (await cloud.observed()).find((o) => o.name === 'pc-worker-1')!;
    await cloud.setConfig((c) => (c.phase = 2));
    const toTwo = await run(cloud);
    expect(toTwo.plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual([
      'create placement_group/pc-master-spread-1',
      'create server/pc-master-1',
      'create server/pc-master-2',
      'create server/pc-master-3',
    ]);
    expect((await cloud.observed()).find((o) => o.name === 'pc-worker-1')?.id).toBe(worker.id);
    await cloud.setConfig((c) => (c.phase = 4));
    await run(cloud);
    expect(names(await cloud.observed())).toEqual(expected(4));
  });

  it('keeps phase-4 workers and volumes as orphans on the way back to 3, and deletes them only when named', async () => {
    cloud = await testCloud({ phase: 4 });
    await run(cloud);
    await cloud.setConfig((c) => (c.phase = 3));
    const kept = await run(cloud);
    expect(kept.plan.changes).toEqual([]);
    expect(kept.plan.orphans.map((o) => o.name)).toContain('pc-worker-5');
    const writesBefore = writes(cloud);
    await expect(run(cloud, { prune: true })).rejects.toThrow(/--allow-destroy=worker-4/);
    expect(writes(cloud)).toBe(writesBefore);
    const volumes = ['worker-1-data', 'worker-2-data', 'worker-3-data', 'worker-4-data', 'worker-5-data'];
    await run(cloud, { prune: true, allowDestroy: ['worker-4', 'worker-5', ...volumes] });
    expect(names(await cloud.observed())).toEqual(expected(3));
    const vars = (await (await cloud.vault()).read('vars')) as { CLUSTER: Record<string, unknown> };
    expect(Object.keys(vars.CLUSTER).sort()).toEqual([
      'MASTER_1',
      'MASTER_2',
      'MASTER_3',
      'WORKER_1',
      'WORKER_2',
      'WORKER_3',
    ]);
  });

  it('adopts what a crashed run left behind instead of creating it twice', async () => {
    cloud = await testCloud({ phase: 1 });
    // A server made by a run that died before writing state: only its labels say it is ours.
    const desired = desiredResources(parseClusterConfig({ ...seedConfig(), phase: 1 }), SECRETS, 1);
    const key = desired.find((d) => d.type === 'ssh_key')!;
    await cloud.client.request('POST', '/ssh_keys', {
      body: { name: key.name, public_key: SECRETS.sshPublicKey, labels: key.labels },
    });
    const result = await run(cloud);
    expect(result.plan.changes.map((c) => c.key)).not.toContain('ssh_key/pc-operator');
    expect((await cloud.observed()).filter((o) => o.type === 'ssh_key')).toHaveLength(1);
  });

  it('explains, in one round, that the operator key is already uploaded under another name', async () => {
    cloud = await testCloud({ phase: 1 });
    await cloud.client.request('POST', '/ssh_keys', { body: { name: 'laptop', public_key: SECRETS.sshPublicKey } });
    await expect(run(cloud)).rejects.toThrow(
      /the operator's SSH key is already in the Hetzner project as "laptop" \(id \d+\).*rename it to pc-operator with the labels managed-by=personal-cloud,cluster=pc,role=operator,name=operator/,
    );
    expect(cloud.sandbox.stats().requests['POST /ssh_keys']).toBe(2);
  });

  it('repairs drift made outside the tool', async () => {
    cloud = await testCloud({ phase: 2 });
    await run(cloud);
    const master = (await cloud.observed()).find((o): o is ObservedServer => o.name === 'pc-master-2')!;
    const poweroff = await cloud.client.request<{ action: Action }>('POST', `/servers/${master.id}/actions/poweroff`);
    await cloud.client.request('PUT', `/servers/${master.id}`, {
      body: { labels: { ...master.labels, role: 'tampered' } },
    });
    await cloud.client.actionWaiter.waitFor(poweroff.action);
    const drift = await runTargetProcess('drift', cloud.env).done;
    expect(drift.code, drift.stderr).toBe(0);
    expect(drift.stdout).toContain(
      'changed outside personal-cloud\n  server/pc-master-2: status off → running; labels differ',
    );
    expect(drift.stdout).toContain('1 change(s) made outside personal-cloud');
    const repair = await run(cloud);
    expect(repair.plan.changes.map((c) => [c.key, c.reason])).toEqual([
      ['server/pc-master-2', 'status off → running; labels differ'],
    ]);
    expect((await run(cloud)).plan.changes).toEqual([]);
  });

  it('changes a server type in place, powering the server off and on around it', async () => {
    cloud = await testCloud({ phase: 2 });
    await run(cloud);
    const before = (await cloud.observed()).find((o): o is ObservedServer => o.name === 'pc-master-1')!;
    await cloud.setConfig((c) => (c.pools[0].serverType = 'ccx23'));
    const changed = await run(cloud);
    expect(changed.plan.changes.map((c) => [c.action, c.name, c.reason])).toEqual([
      ['update', 'pc-master-1', 'server_type cpx11 → ccx23'],
      ['update', 'pc-master-2', 'server_type cpx11 → ccx23'],
      ['update', 'pc-master-3', 'server_type cpx11 → ccx23'],
    ]);
    const after = (await cloud.observed()).find((o): o is ObservedServer => o.name === 'pc-master-1')!;
    expect(after).toMatchObject({ id: before.id, serverType: 'ccx23', status: 'running' });
  });

  it('gives control-plane servers named primary IPv4 addresses that outlive them', async () => {
    cloud = await testCloud({ phase: 2 });
    await cloud.setConfig((c) => (c.pools[0].primaryIpv4 = true));
    await run(cloud);
    const observed = await cloud.observed();
    const ips = observed.filter((o) => o.type === 'primary_ip');
    expect(ips.map((o) => o.name).sort()).toEqual(['pc-master-1-ipv4', 'pc-master-2-ipv4', 'pc-master-3-ipv4']);
    const master = observed.find((o): o is ObservedServer => o.name === 'pc-master-1')!;
    expect(master.primaryIpv4).toBe('pc-master-1-ipv4');
    expect((await run(cloud)).plan.changes).toEqual([]);
  });

  it('lets go of named addresses and IPv6 when the config says so, leaving no address behind', async () => {
    cloud = await testCloud({ phase: 2 });
    await cloud.setConfig((c) => (c.pools[0].primaryIpv4 = true));
    await run(cloud);
    await cloud.setConfig((c) => {
      c.pools[0].primaryIpv4 = false;
      c.pools[0].ipv6 = false;
    });
    const released = await run(cloud, { prune: true });
    expect(
      released.plan.changes
        .filter((c) => c.action === 'delete')
        .map((c) => c.name)
        .sort(),
    ).toEqual(['pc-master-1-ipv4', 'pc-master-2-ipv4', 'pc-master-3-ipv4']);
    const masters = (await cloud.observed()).filter(
      (o): o is ObservedServer => o.type === 'server' && o.name.startsWith('pc-master'),
    );
    for (const m of masters)
      expect(m).toMatchObject({ status: 'running', publicIpv6: null, primaryIpv4: expect.stringMatching(/^#/) });
    const vars = (await (await cloud.vault()).read('vars')) as { CLUSTER: Record<string, Record<string, string>> };
    expect(vars.CLUSTER.MASTER_1!.public_ipv4).toBe(masters.find((m) => m.name === 'pc-master-1')!.publicIpv4);
    expect(vars.CLUSTER.MASTER_1!.public_ipv6).toBeUndefined();
    expect((await run(cloud)).plan.changes).toEqual([]);
    await destroyInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
    // Nothing billed is left: automatic addresses went with their servers.
    expect(await cloud.client.listAll('/primary_ips', 'primary_ips')).toEqual([]);
  });

  it('refuses a malformed token before any request, and writes nothing', async () => {
    cloud = await testCloud({ phase: 1 });
    const env = { ...cloud.env, HCLOUD_TOKEN: 'too-short' };
    await expect(provisionInfra({ env, progress: quietProgress() })).rejects.toThrow(
      /HCLOUD_TOKEN is not a Hetzner API token: a token is 64 letters and digits, this one has 9 characters/,
    );
    expect(cloud.sandbox.stats().reads + cloud.sandbox.stats().writes).toBe(0);
  });

  it('stops at a project limit with a clear message, half-makes nothing, and the next plan shows exactly what is missing', async () => {
    cloud = await testCloud({ phase: 4, serverLimit: 5 });
    await expect(run(cloud)).rejects.toThrow(
      /POST \/servers would exceed the Hetzner project's limit on project_limit \(403 resource_limit_exceeded/,
    );
    const observed = await cloud.observed();
    const servers = observed.filter((o): o is ObservedServer => o.type === 'server');
    expect(servers).toHaveLength(5);
    // Every server that exists is whole: running, on the network at its address.
    for (const server of servers) {
      expect(server.status).toBe('running');
      expect(server.networks).toHaveLength(1);
    }
    const config = seedConfig();
    const plan = planChanges(desiredResources(parseClusterConfig(config), SECRETS, 4), observed, { prune: false });
    const missing = expected(4).filter((k) => !names(observed).includes(k));
    expect(plan.changes.map((c) => `${c.action} ${c.key}`).sort()).toEqual(missing.map((k) => `create ${k}`).sort());
    expect(missing).toHaveLength(3);
  });

  it('destroys everything it made, and the sweep finds nothing', async () => {
    cloud = await testCloud({ phase: 4 });
    await run(cloud);
    const result = await destroyInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
    expect(result.plan.changes.every((c) => c.action === 'delete')).toBe(true);
    expect(await cloud.observed()).toEqual([]);
    const servers = await cloud.client.listAll('/servers', 'servers');
    expect(servers).toEqual([]);
    const state = readInfraState(await (await cloud.vault()).read('state'));
    expect(state.resources).toEqual({});
  });

  it('fails a bad config before touching the API', async () => {
    cloud = await testCloud({ phase: 1 });
    await cloud.setConfig((c) => (c.pools[0].count = 2));
    await expect(run(cloud)).rejects.toThrow(CloudError);
    expect(cloud.sandbox.stats().reads).toBe(0);
  });
});

describeContract(fileExchanges, { requests: true });
