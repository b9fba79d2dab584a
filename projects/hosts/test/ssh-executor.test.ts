// The SSH executor against a real sshd on loopback, with stand-in k3s on its PATH: the probes,
// the etcd member list and the kubeconfig; a host that does not answer, a changed host key and a
// failing command each give one clear sentence.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { generateOpenSshKeyPair, openSshPublicKeyOf, toOpenSshPrivateKey } from '@personal-cloud/vault';
import { generateKeyPairSync } from 'node:crypto';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import type { MachineTarget } from '../src/executor/machine-executor';
import { SshExecutor } from '../src/executor/ssh-executor';
import { freePort, startLoopbackSshd, type LoopbackSshd } from './support-ssh/loopback-sshd';

describeWithTool('sshd', 'the SSH executor against a loopback sshd', () => {
  let sshd: LoopbackSshd;
  let executor: SshExecutor;
  let target: MachineTarget;
  beforeAll(async () => {
    sshd = await startLoopbackSshd();
    executor = new SshExecutor({
      operatorPrivateKey: sshd.operatorKey.privateKey,
      hostNames: {
        'master-1': 'demo-master-1',
        'master-2': 'demo-master-2',
        'worker-1': 'demo-worker-1',
        'worker-2': 'demo-worker-2',
        'worker-3': 'demo-worker-3',
      },
      kubeconfigPath: sshd.kubeconfigPath,
      connectTimeoutSeconds: 5,
    });
    target = {
      node: 'master-1',
      serverId: 1,
      sshAddress: sshd.address,
      nodeIp: '10.0.1.10',
      hostPublicKey: sshd.hostKey.publicKey,
    };
  });
  afterAll(async () => {
    await executor?.close();
    await sshd?.stop();
  });
  const calls = async () => (await readFile(sshd.callLog, 'utf8')).split('\n').filter(Boolean);

  it('probes k3s, lists etcd members by node name and fetches the kubeconfig with the reachable name', async () => {
    expect(await executor.probe(target)).toEqual({
      generation: null,
      k3s: { role: 'server', version: 'v1.34.1+k3s1', ready: true },
      etcd: { member: true, healthy: true },
    });
    expect(await executor.probe({ ...target, node: 'worker-1' })).toMatchObject({
      k3s: { role: 'agent', ready: false },
      etcd: { member: false },
    });
    expect(await executor.etcdMembers(target)).toEqual([
      { name: 'master-1', up: true },
      { name: 'master-2', up: false },
    ]);
    const kubeconfig = await executor.fetchKubeconfig(target, 'demo-master-1.tailnet.ts.net');
    expect(kubeconfig).toContain('server: https://demo-master-1.tailnet.ts.net:6443');
    expect(kubeconfig).not.toContain('127.0.0.1');
    await executor.etcdMemberRemove(target, 'master-2');
    expect(await calls()).toContain('k3s kubectl delete node demo-master-2');
  });

  it('decommissions a worker from a server: drained if still a node, its agent stopped when it answers, its node object deleted', async () => {
    const before = (await calls()).length;
    await executor.drain(target, 'worker-2');
    await executor.deleteNode(target, { ...target, node: 'worker-2' });
    // worker-3 is gone already and its server is off: nothing to drain, the delete still runs.
    const closed = `127.0.0.1:${await freePort()}`;
    await executor.drain(target, 'worker-3');
    await executor.deleteNode(target, { ...target, node: 'worker-3', sshAddress: closed });
    expect((await calls()).slice(before)).toEqual([
      'k3s kubectl get node demo-worker-2 --ignore-not-found -o name',
      'k3s kubectl drain demo-worker-2 --ignore-daemonsets --delete-emptydir-data --timeout=10m',
      'systemctl stop k3s-agent',
      'k3s kubectl delete node demo-worker-2 --ignore-not-found',
      'k3s kubectl get node demo-worker-3 --ignore-not-found -o name',
      'k3s kubectl delete node demo-worker-3 --ignore-not-found',
    ]);
  });

  it('a failing command names the node, the step, the exit code and the tool’s message', async () => {
    await expect(executor.etcdMemberRemove(target, 'master-3')).rejects.toThrow(
      'etcd-member-remove on master-1 failed (exit 1): Error from server (NotFound): nodes "master-3" not found.',
    );
  });

  it('a host that does not answer is named, with what SSH saw', async () => {
    const closed = `127.0.0.1:${await freePort()}`;
    await expect(executor.probe({ ...target, sshAddress: closed })).rejects.toMatchObject({
      reason: 'unreachable',
      message: expect.stringMatching(
        new RegExp(`^probe on master-1: ${closed} does not answer on SSH \\(.*Connection refused\\)\\.$`),
      ),
    });
  });

  it('a changed host key is refused before any command runs', async () => {
    const before = await calls();
    const other = generateOpenSshKeyPair('someone-else');
    await expect(executor.probe({ ...target, hostPublicKey: other.publicKey })).rejects.toMatchObject({
      reason: 'host-key',
      message: `probe on master-1: ${sshd.address} presented a host key other than the one in the vault, so nothing was sent; if the server was reinstalled outside personal-cloud, check it before trusting it.`,
    });
    expect(await calls()).toEqual(before);
  });

  it("logs in with an operator key kept as PKCS#8 PEM (older sandbox vaults), converted to OpenSSH's form; an unknown key is refused", async () => {
    const pem = generateKeyPairSync('ed25519').privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    const stranger = new SshExecutor({
      operatorPrivateKey: pem,
      hostNames: { 'master-1': 'demo-master-1' },
      kubeconfigPath: sshd.kubeconfigPath,
    });
    await expect(stranger.probe(target)).rejects.toMatchObject({
      reason: 'failed',
      message: expect.stringContaining('Permission denied'),
    });
    await sshd.authorize(openSshPublicKeyOf(toOpenSshPrivateKey(pem)));
    expect((await stranger.probe(target)).k3s).toMatchObject({ role: 'server' });
    await stranger.close();
  });
});
