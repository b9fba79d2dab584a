// Replacements against the sandbox: a create the API refuses leaves the old resource in place.
// The reconciler is driven directly with the desired resources, so a value the config's
// validation would refuse can still reach the API, as one it cannot foresee would.
import { afterEach, describe, expect, it } from 'vitest';
import type { DesiredResource } from '@personal-cloud/cluster';
import { sshPublicKey } from '../../sandbox/test/sandbox-fixture';
import * as sshKeys from '../src/hcloud/resources/ssh-keys';
import { loadInfraInputs } from '../src/infra-inputs';
import { provisionInfra } from '../src/provision';
import type { ObservedSshKey } from '../src/reconcile/observed';
import { reconcile } from '../src/reconcile/reconcile';
import { InfraBook } from '../src/state/infra-book';
import { readInfraState } from '../src/state/infra-state';
import { StateRecorder } from '@personal-cloud/layer-kit';
import { describeContract } from '../../sandbox/test/contract';
import { fileExchanges, quietProgress, testCloud, type TestCloud } from './support/cloud';

let cloud: TestCloud | undefined;
afterEach(async () => {
  await cloud?.close();
  cloud = undefined;
});

/** The cloud after a phase-1 provision, and the desired resources it was built from. */
async function provisioned(): Promise<{ cloud: TestCloud; desired: DesiredResource[] }> {
  cloud = await testCloud({ phase: 1 });
  await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
  return { cloud, desired: (await loadInfraInputs(cloud.env)).desired };
}

/** One reconcile of `desired`, recording state as provision does. */
async function reconcileTo(c: TestCloud, desired: DesiredResource[]) {
  const { nodes } = await loadInfraInputs(c.env);
  const vault = await c.vault();
  return vault.withLock('test reconcile', async (session) => {
    const recorder = new StateRecorder(session);
    try {
      return await reconcile({
        client: c.client,
        cluster: 'pc',
        desired,
        book: new InfraBook(recorder, desired, nodes),
        progress: quietProgress(),
        prune: false,
        allowDestroy: [],
        maxRounds: 2,
      });
    } finally {
      await recorder.flush();
    }
  });
}

const withKey = (desired: DesiredResource[], publicKey: string) =>
  desired.map((d) => (d.type === 'ssh_key' ? { ...d, publicKey } : d));
const operatorKey = async (c: TestCloud) =>
  (await c.observed()).filter((o): o is ObservedSshKey => o.type === 'ssh_key');
const stateIds = async (c: TestCloud) => readInfraState(await (await c.vault()).read('state')).resources;

describe('replacing an SSH key', () => {
  it('keeps the working key when the API refuses the new one, and records no deletion', async () => {
    const { cloud, desired } = await provisioned();
    const [before] = await operatorKey(cloud);
    const stateBefore = await stateIds(cloud);
    await expect(reconcileTo(cloud, withKey(desired, 'ssh-ed25519 AAAA'))).rejects.toMatchObject({
      code: 'invalid_input',
    });
    expect(await operatorKey(cloud)).toEqual([before]);
    expect(await stateIds(cloud)).toEqual(stateBefore);
  });

  it('creates the new key under a temporary name, deletes the old one, then gives the new one its name', async () => {
    const { cloud, desired } = await provisioned();
    const [before] = await operatorKey(cloud);
    const key = sshPublicKey('new@laptop');
    const from = cloud.recorder.exchanges.length;
    const result = await reconcileTo(cloud, withKey(desired, key));
    expect(result.plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual(['replace ssh_key/pc-operator']);
    const writes = cloud.recorder.exchanges
      .slice(from)
      .filter((e) => e.method !== 'GET')
      .map((e) => `${e.method} ${e.path.replace(/\/\d+$/, '/N')}`);
    expect(writes).toEqual(['POST /v1/ssh_keys', 'DELETE /v1/ssh_keys/N', 'PUT /v1/ssh_keys/N']);
    const [after] = await operatorKey(cloud);
    expect(after).toMatchObject({ name: 'pc-operator', publicKey: key, labels: before!.labels });
    expect(after!.id).not.toBe(before!.id);
    expect((await stateIds(cloud))['ssh_key/pc-operator']?.id).toBe(after!.id);
    expect(Object.keys(await stateIds(cloud)).filter((k) => k.endsWith('-next'))).toEqual([]);
  });

  it('finishes a replacement an earlier run left halfway, with either half still there', async () => {
    const { cloud, desired } = await provisioned();
    const [old] = await operatorKey(cloud);
    // Killed after creating the new key: both halves exist.
    const key = sshPublicKey('new@laptop');
    await sshKeys.create(cloud.client, { name: 'pc-operator-next', public_key: key, labels: old!.labels });
    const both = await reconcileTo(cloud, withKey(desired, key));
    expect(both.plan.changes.map((c) => `${c.action} ${c.key}`)).toEqual(['replace ssh_key/pc-operator']);
    expect(both.plan.orphans).toEqual([]);
    expect((await operatorKey(cloud)).map((k) => [k.name, k.publicKey])).toEqual([['pc-operator', key]]);

    // Killed after deleting the old key: only the new half is left, and it is renamed, not made again.
    const third = sshPublicKey('third@laptop');
    const [current] = await operatorKey(cloud);
    await sshKeys.delete(cloud.client, current!.id);
    const next = await sshKeys.create(cloud.client, {
      name: 'pc-operator-next',
      public_key: third,
      labels: old!.labels,
    });
    const renamed = await reconcileTo(cloud, withKey(desired, third));
    expect(renamed.plan.changes.map((c) => [c.action, c.key, c.reason])).toEqual([
      ['update', 'ssh_key/pc-operator', 'name pc-operator-next → pc-operator'],
    ]);
    expect(await operatorKey(cloud)).toEqual([
      expect.objectContaining({ id: next.id, name: 'pc-operator', publicKey: third }),
    ]);
    expect((await stateIds(cloud))['ssh_key/pc-operator']?.id).toBe(next.id);
  });
});

describe('replacing a volume', () => {
  it('makes the new volume beside the server first, then deletes the old one and renames the new', async () => {
    cloud = await testCloud({ phase: 4 });
    await provisionInfra({ env: cloud.env, progress: quietProgress(), client: cloud.fast });
    const old = (await cloud.observed()).find((o) => o.name === 'pc-worker-1-data')!;
    await cloud.setConfig((c) => (c.pools[1]!.volumes[0]!.format = 'xfs'));
    const from = cloud.recorder.exchanges.length;
    const result = await provisionInfra({
      env: cloud.env,
      progress: quietProgress(),
      client: cloud.fast,
      allowDestroy: ['worker-1-data', 'worker-2-data', 'worker-3-data', 'worker-4-data', 'worker-5-data'],
    });
    expect(result.plan.changes.filter((c) => c.name === 'pc-worker-1-data').map((c) => [c.action, c.reason])).toEqual([
      ['replace', 'format ext4 → xfs'],
    ]);
    const now = (await cloud.observed()).filter((o) => o.type === 'volume' && o.name.startsWith('pc-worker-1-'));
    expect(now).toEqual([
      expect.objectContaining({ name: 'pc-worker-1-data', format: 'xfs', server: 'pc-worker-1', protectDelete: true }),
    ]);
    const which = (path: string) =>
      path
        .replace(new RegExp(`/volumes/${old.id}(?=/|$)`), '/volumes/OLD')
        .replace(new RegExp(`/volumes/${now[0]!.id}(?=/|$)`), '/volumes/NEW');
    const steps = cloud.recorder.exchanges
      .slice(from)
      .filter((e) => e.method !== 'GET')
      .map(
        (e) =>
          `${e.method} ${which(e.path)}${e.method === 'POST' && e.path.endsWith('/volumes') ? ` ${(e.requestBody as { name: string }).name}` : ''}`,
      )
      .filter((step) => /OLD|NEW|pc-worker-1-data/.test(step));
    expect(steps).toEqual([
      'POST /v1/volumes pc-worker-1-data-next',
      'POST /v1/volumes/NEW/actions/change_protection',
      'POST /v1/volumes/OLD/actions/change_protection',
      'POST /v1/volumes/OLD/actions/detach',
      'DELETE /v1/volumes/OLD',
      'PUT /v1/volumes/NEW',
    ]);
  });
});

describe('replacing a server', () => {
  it('checks everything the new server needs before deleting the old one', async () => {
    const { cloud, desired } = await provisioned();
    const server = (await cloud.observed()).find((o) => o.type === 'server')!;
    const moved = desired.map((d) => (d.type === 'server' ? { ...d, location: 'nbg1', image: 'no-such-image' } : d));
    const from = cloud.recorder.exchanges.length;
    await expect(reconcileTo(cloud, moved)).rejects.toThrow(
      `server ${server.name} cannot be created in nbg1: image no-such-image does not exist for x86 servers. The server it would replace was left in place.`,
    );
    expect(cloud.recorder.exchanges.slice(from).filter((e) => e.method !== 'GET')).toEqual([]);
    expect((await cloud.observed()).find((o) => o.type === 'server')?.id).toBe(server.id);
  });
});

describeContract(fileExchanges, { requests: true });
