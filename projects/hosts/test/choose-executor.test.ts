// The executor follows the endpoint, not the token: a sandbox endpoint gets the machine model,
// anything else SSH. And the sandbox executor turns the model's answers into the same errors.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ControllableClock, startSandbox, type RunningSandbox } from '@personal-cloud/sandbox';
import { chooseExecutor, sandboxOrigin } from '../src/executor/choose-executor';
import { SandboxExecutor } from '../src/executor/sandbox-executor';
import { SshExecutor } from '../src/executor/ssh-executor';

let sandbox: RunningSandbox;
const clock = new ControllableClock();
beforeAll(async () => {
  sandbox = await startSandbox({
    port: 0,
    dir: null,
    actionMs: 0,
    faults: '',
    machineMs: 'install=60000,ready=0',
    clock: clock.now,
  });
});
afterAll(() => sandbox.stop());

const ssh = () => ({ operatorPrivateKey: 'unused', hostNames: {} });

describe('chooseExecutor', () => {
  it('gives a sandbox endpoint the machine model: the token plays no part', async () => {
    expect(await sandboxOrigin(sandbox.url)).toBe(sandbox.url.replace(/\/v1$/, ''));
    expect(await chooseExecutor({ endpoint: sandbox.url, ssh })).toBeInstanceOf(SandboxExecutor);
  });

  it('gives any other endpoint SSH, also one that answers HTTP', async () => {
    const other = createServer((_req, res) => res.writeHead(404).end('{}'));
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const endpoint = `http://127.0.0.1:${(other.address() as AddressInfo).port}/v1`;
      expect(await chooseExecutor({ endpoint, ssh })).toBeInstanceOf(SshExecutor);
      expect(
        await sandboxOrigin('https://api.hetzner.cloud/v1', async () => new Response('', { status: 404 })),
      ).toBeNull();
    } finally {
      other.close();
    }
  });
});

describe('SandboxExecutor', () => {
  it('waits on its clock until the step ends, and names an unreachable node', async () => {
    const executor = new SandboxExecutor({
      origin: sandbox.url.replace(/\/v1$/, ''),
      now: clock.now,
      sleep: clock.sleep,
    });
    const target = {
      node: 'master-1',
      serverId: 77,
      sshAddress: '203.0.113.1',
      nodeIp: '10.0.1.10',
      hostPublicKey: 'ssh-ed25519 AAAA',
    };
    await expect(executor.probe(target)).rejects.toThrow(
      'probe on master-1: master-1 does not answer: server 77 does not exist.',
    );
    const created = await fetch(`${sandbox.url}/servers`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${'t'.repeat(64)}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'demo-master-1', server_type: 'cpx11', image: 'ubuntu-24.04', location: 'fsn1' }),
    });
    const serverId = ((await created.json()) as { server: { id: number } }).server.id;
    clock.advance(1000);
    const before = clock.now();
    await executor.install(
      { ...target, serverId },
      { generation: 'g1', role: 'server', version: 'v1.34.1+k3s1', bootstrap: true, serverAddr: null },
    );
    expect(clock.now() - before).toBeGreaterThanOrEqual(60_000);
    expect(await executor.probe({ ...target, serverId })).toMatchObject({
      generation: 'g1',
      k3s: { role: 'server', ready: true },
      etcd: { member: true, healthy: true },
    });
    await expect(executor.etcdMemberRemove({ ...target, serverId }, 'master-1')).rejects.toThrow(
      'etcd-member-remove on master-1 failed: etcdctl member remove on master-1: remove a member from another server.',
    );
  });
});

describe('SshExecutor.preflight', () => {
  it('names each missing tool and how to get it, in one sentence, before anything changes', async () => {
    const executor = new SshExecutor({
      operatorPrivateKey: 'unused',
      hostNames: {},
      commands: { nixosAnywhere: 'no-such-nixos-anywhere' },
    });
    await expect(executor.preflight()).rejects.toThrow(
      /^the machine steps over SSH need (.*, )?no-such-nixos-anywhere \(run `nix profile install github:nix-community\/nixos-anywhere`\)(, .*)?; nothing was changed\.$/,
    );
  });
});
