// builder:provision in the sandbox world: Oxygen is a machine of the model outside Hetzner. The
// deploy changes its state (generation, container, tainted k3s agent) and goes to the journal
// with file paths but no key; a second run changes nothing; a desktop that is off is said in one
// line and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodesInPhase } from '@personal-cloud/cluster';
import { startSandbox, type RunningSandbox } from '@personal-cloud/sandbox';
import { generateOpenSshKeyPair } from '@personal-cloud/vault';
import { oxygenDeployment, type OxygenDeployment } from '../src/provision/oxygen-deployment';
import type { OxygenTarget } from '../src/provision/oxygen-executor';
import { provisionOxygen } from '../src/provision/provision-oxygen';
import { SandboxOxygenExecutor } from '../src/provision/sandbox-oxygen-executor';
import { renderBuilder } from '../src/render/render-builder';
import { builderConfig, builderVars, NIXPKGS, OXYGEN_IP } from './fixtures';

const config = builderConfig(4);
const TOKENS = {
  BUILDER_SSH_HOST_KEY: generateOpenSshKeyPair('pc-builder').privateKey,
  K3S_TOKEN: 'a-k3s-token-that-is-long-enough-to-scan-for',
  ATTIC_TOKEN_HS256_SECRET: 'b'.repeat(128),
};

function deploymentFor(cpus: number): OxygenDeployment {
  const c = builderConfig(4, (raw) => {
    raw.oxygen!.builder.cpus = cpus;
  });
  const { files } = renderBuilder({ config: c, nodes: nodesInPhase(c), vars: builderVars(), nixpkgs: NIXPKGS });
  return oxygenDeployment({
    cluster: c.name,
    rendered: files,
    tokens: TOKENS,
    builder: c.oxygen!.builder,
    k3sTokenName: 'K3S_TOKEN',
    cacheUrl: 'https://cache.example.org/pc',
    hostname: 'oxygen',
    nixos: null,
  });
}

describe('builder:provision against the sandbox', () => {
  let sandbox: RunningSandbox;
  let executor: SandboxOxygenExecutor;
  const target: OxygenTarget = { name: 'oxygen', sshAddress: 'oxygen', tailscaleIp: OXYGEN_IP };
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, dir: null, machineMs: 'install=0,rebuild=0,ready=0,probe=0' });
    executor = new SandboxOxygenExecutor({ origin: new URL(sandbox.url).origin });
  });
  afterAll(() => sandbox?.stop());

  it('registers Oxygen outside Hetzner, deploys it as a tainted agent, and a second run changes nothing', async () => {
    const deployment = deploymentFor(config.oxygen!.builder.cpus);
    expect(await provisionOxygen(executor, target, deployment, log)).toBe('deployed');
    const after = sandbox.machines.snapshot().machines;
    expect(after.machines.oxygen).toMatchObject({
      serverId: null,
      power: 'on',
      address: OXYGEN_IP,
      os: { generation: deployment.generation },
      k3s: { role: 'agent' },
    });
    expect(after.etcdMembers).toEqual([]);
    expect((after.extensions.builder as Record<string, unknown>).oxygen).toMatchObject({
      container: { image: 'localhost/personal-cloud-builder:1', cpus: 6, memoryGb: 16 },
      agent: {
        serverAddr: `https://${nodesInPhase(config).find((n) => n.k3s.role === 'server')!.privateIp}:6443`,
        labels: { 'personal-cloud/builder': 'true' },
        taints: ['personal-cloud/builder=true:NoSchedule'],
      },
    });
    const journal = sandbox.machines.journal.all();
    expect(journal.map((e) => e.step)).toEqual(['oxygen-probe', 'oxygen-deploy']);
    const text = JSON.stringify(journal);
    expect(text).toContain('/var/lib/personal-cloud/builder/keys/ssh_host_ed25519_key');
    for (const secret of Object.values(TOKENS)) expect(text).not.toContain(secret.split('\n')[1] ?? secret);
    expect(text).not.toContain(TOKENS.K3S_TOKEN);
    expect(text).toContain('/var/lib/personal-cloud/builder/keys/attic/config.toml');
    const pushToken = deployment.files.find((f) => f.path.endsWith('attic/config.toml'))!.content;
    expect(text).not.toContain(/token = "(.*)"/.exec(pushToken)![1]);

    expect(await provisionOxygen(executor, target, deployment, log)).toBe('unchanged');
    expect(sandbox.machines.snapshot().machines).toEqual(after);
    expect(sandbox.machines.journal.all().map((e) => e.step)).toEqual([
      'oxygen-probe',
      'oxygen-deploy',
      'oxygen-probe',
    ]);
    expect(lines.at(-1)).toBe(
      `builder: oxygen runs generation ${deployment.generation.slice(0, 12)} already; nothing to change.`,
    );
  });

  it('a changed config deploys a new generation; Oxygen turned off is one line and no change', async () => {
    expect(await provisionOxygen(executor, target, deploymentFor(3), log)).toBe('deployed');
    expect(sandbox.machines.snapshot().machines.extensions.builder).toMatchObject({
      oxygen: { container: { cpus: 3 } },
    });
    sandbox.machines.registerExternalMachine('oxygen', OXYGEN_IP, 'off');
    const before = sandbox.machines.snapshot().machines;
    lines.length = 0;
    expect(await provisionOxygen(executor, target, deploymentFor(2), log)).toBe('unreachable');
    expect(lines).toEqual([
      'builder: oxygen-probe on oxygen: oxygen does not answer: it is powered off; nothing was changed, and the hosts build without it until it is back (fallback = true).',
    ]);
    expect(sandbox.machines.snapshot().machines).toEqual(before);
  });

  it('joins the cluster as an agent only once the servers have quorum, and never as an etcd member', async () => {
    sandbox.machines.registerExternalMachine('oxygen', OXYGEN_IP, 'on');
    expect(sandbox.machines.snapshot().cluster.ready).toEqual([]);
    const server = nodesInPhase(config).find((n) => n.k3s.role === 'server')!;
    sandbox.machines.registerExternalMachine(server.name, server.privateIp, 'on');
    sandbox.machines.run({
      step: 'install',
      node: server.name,
      serverId: null,
      args: { generation: 'g1', role: 'server', version: 'v1.34.1+k3s1', bootstrap: true, serverAddr: null },
    });
    expect(sandbox.machines.snapshot().cluster.ready).toEqual(['master-1', 'oxygen']);
    const probe = await executor.probe(target);
    expect(probe.k3s).toEqual({
      role: 'agent',
      ready: true,
      labels: { 'personal-cloud/builder': 'true' },
      taints: ['personal-cloud/builder=true:NoSchedule'],
    });
  });

  it('checks the cache loop as a journal step: green with the builder running, red and not thrown with Oxygen off', async () => {
    sandbox.machines.registerExternalMachine('oxygen', OXYGEN_IP, 'on');
    const cache = { cacheUrl: 'https://cache.example.org/pc', keyName: 'pc-cache-1', generation: 'g1' };
    expect((await executor.probe(target)).lastPushAgeSeconds).toBeNull();
    const lines = await executor.checkCache(target, cache);
    expect(typeof (await executor.probe(target)).lastPushAgeSeconds).toBe('number');
    expect(lines.map((l) => l.ok)).toEqual([true, true]);
    expect(lines[0]!.text).toMatch(
      /^push: \/nix\/store\/[0-9a-z]{32}-personal-cloud-cache-probe reached https:\/\/cache\.example\.org\/pc \(the sandbox's model of the push loop\)$/,
    );
    expect(sandbox.machines.journal.all().find((e) => e.step === 'oxygen-cache-check')).toMatchObject({
      step: 'oxygen-cache-check',
      node: 'oxygen',
      args: { generation: 'g1', cacheUrl: cache.cacheUrl },
    });
    sandbox.machines.registerExternalMachine('oxygen', OXYGEN_IP, 'off');
    expect(await executor.checkCache(target, cache)).toEqual([
      {
        ok: false,
        text: 'push: oxygen-cache-check on oxygen: oxygen does not answer: it is powered off, so the cache was not checked',
      },
    ]);
  });
});
