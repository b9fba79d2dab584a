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
import { handOverIfPlanned } from '../src/provision/hand-over';
import { destroyOxygen } from '../src/destroy/destroy-oxygen';
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

  it('hands the builder over to Kubernetes only on a Ready node, and back to its unit, keeping the store', async () => {
    sandbox.machines.registerExternalMachine('oxygen', OXYGEN_IP, 'on');
    const deployment = deploymentFor(4);
    const kubernetes = builderConfig(4, (raw) => {
      raw.oxygen!.builder.managedBy = 'kubernetes';
    });
    const { files: rendered } = renderBuilder({
      config: kubernetes,
      nodes: nodesInPhase(kubernetes),
      vars: builderVars(),
      nixpkgs: NIXPKGS,
    });
    const running = (await executor.probe(target)).generation!;
    const input = (managedBy: 'systemd' | 'kubernetes', when: 'before-deploy' | 'after-deploy' = 'after-deploy') => ({
      managedBy,
      roles: ['builder', 'worker'] as const,
      rendered,
      files: deployment.files,
      wantedGeneration: running,
      when,
      log,
    });
    // master-1 is down: no quorum, so Oxygen is no Ready node and the handover waits.
    sandbox.machines.registerExternalMachine('master-1', '10.0.1.1', 'off');
    lines.length = 0;
    expect(await handOverIfPlanned(executor, target, input('kubernetes'))).toBeNull();
    expect(lines).toEqual(['builder: the handover to Kubernetes waits until oxygen has joined and is a Ready node.']);
    sandbox.machines.registerExternalMachine('master-1', nodesInPhase(config)[0]!.privateIp, 'on');
    expect(await handOverIfPlanned(executor, target, input('kubernetes'))).toBe('kubernetes');
    const step = sandbox.machines.journal.all().findLast((e) => e.step === 'oxygen-handover')!;
    expect(step.args).toEqual({
      to: 'kubernetes',
      commands: [
        'set -o pipefail; podman save localhost/personal-cloud-builder:1 | k3s ctr images import -',
        'systemctl disable --now personal-cloud-builder-push.service personal-cloud-builder.service',
      ],
      workload: 'dist/builder/render/kubernetes/builder-workload.yaml',
      secret: 'personal-cloud-builder/nix-builder-keys',
    });
    expect((await executor.probe(target)).runsAs).toBe('workload');
    expect(await handOverIfPlanned(executor, target, input('kubernetes'))).toBeNull();
    expect(await handOverIfPlanned(executor, target, input('systemd'))).toBe('unit');
    expect(await executor.probe(target)).toMatchObject({ runsAs: 'unit', storeVolume: true });
    // A new generation while the workload runs: provision hands it back before the deploy.
    expect(await handOverIfPlanned(executor, target, input('kubernetes'))).toBe('kubernetes');
    const newer = { ...input('kubernetes', 'before-deploy'), wantedGeneration: deployment.generation };
    expect(await handOverIfPlanned(executor, target, newer)).toBe('unit');
    expect(sandbox.machines.journal.all().findLast((e) => e.step === 'oxygen-handover')!.args.to).toBe('unit');
  });

  it('destroy tears Oxygen down, keeps the store unless purged, deletes its node, and skips what does not answer', async () => {
    sandbox.machines.registerExternalMachine('oxygen', OXYGEN_IP, 'on');
    const deployment = deploymentFor(4);
    expect(await provisionOxygen(executor, target, deployment, log)).toBe('deployed');
    const servers = [{ name: 'master-1', serverId: null }];
    lines.length = 0;
    await destroyOxygen(executor, executor, { target, purgeStore: false, worker: true, servers }, log);
    expect(lines).toEqual([
      "builder: oxygen: the builder's units, container and image and the k3s agent are gone; the store's volume personal-cloud-builder-nix is kept (--purge-store removes it).",
      'builder: the cluster no longer lists the node oxygen.',
    ]);
    const teardown = sandbox.machines.journal.all().findLast((e) => e.step === 'oxygen-teardown')!;
    expect(teardown.args.commands).toContain('podman rm --force --ignore personal-cloud-builder');
    expect(teardown.args.commands).not.toContainEqual(expect.stringContaining('volume rm'));
    let machines = sandbox.machines.snapshot().machines;
    expect(machines.machines.oxygen).toMatchObject({ os: null, k3s: null });
    expect(machines.extensions.builder).toMatchObject({
      oxygen: { container: null, agent: null, storeVolume: true, nodeObject: false },
    });
    expect(await executor.probe(target)).toMatchObject({ generation: null, container: null, k3s: null });

    // A second destroy finds nothing to delete; --purge-store removes the volume.
    lines.length = 0;
    await destroyOxygen(executor, executor, { target, purgeStore: true, worker: true, servers }, log);
    expect(lines[1]).toBe('builder: the cluster did not list the node oxygen.');
    machines = sandbox.machines.snapshot().machines;
    expect((machines.extensions.builder as Record<string, unknown>).oxygen).toBeUndefined();

    // Oxygen off and the cluster down: two lines saying what was skipped, and no error.
    expect(await provisionOxygen(executor, target, deployment, log)).toBe('deployed');
    sandbox.machines.registerExternalMachine('oxygen', OXYGEN_IP, 'off');
    sandbox.machines.registerExternalMachine('master-1', nodesInPhase(config)[0]!.privateIp, 'off');
    lines.length = 0;
    const before = sandbox.machines.snapshot().machines;
    await destroyOxygen(executor, executor, { target, purgeStore: false, worker: true, servers }, log);
    expect(lines).toEqual([
      'builder: skipped the teardown on oxygen: oxygen-teardown on oxygen: oxygen does not answer: it is powered off; run `npx nx run builder:destroy` again when it answers.',
      'builder: skipped deleting the node oxygen from the cluster: no k3s server answered (master-1: oxygen-node-delete on master-1: master-1 does not answer: it is powered off)',
    ]);
    expect(sandbox.machines.snapshot().machines).toEqual(before);
  });
});
