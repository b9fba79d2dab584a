// Hetzner's own CLI against the sandbox, unchanged: it must not be able to tell the difference.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { describeWithTool, onPath } from '../../../tools/test-support/external-tools';
import { describeContract } from './contract';
import { runHcloud } from './hcloud-cli-runner';
import { sshPublicKey, useSandbox } from './sandbox-fixture';

const fixture = useSandbox({ actionMs: 20 });

/**
 * A sandbox whose clock can be held still, so a request can arrive while an action is still
 * running however slowly the CLI starts: the order of events, not the timing, decides.
 */
let held: number | undefined;
let skew = 0;
const heldClock = {
  now: () => held ?? Date.now() + skew,
  hold: () => (held = heldClock.now()),
  release: () => {
    skew = held! - Date.now();
    held = undefined;
  },
};
// Its exchanges join the file's one contract check.
const stillFixture = useSandbox({
  actionMs: 20,
  clock: heldClock.now,
  onExchange: (e) => fixture.recorder.onExchange(e),
});
const home = mkdtempSync(join(tmpdir(), 'sandbox-hcloud-'));
afterAll(() => rmSync(home, { recursive: true, force: true }));

function hcloud(...args: string[]): Promise<string> {
  return hcloudOn(fixture, ...args);
}

function hcloudOn(on: { sandbox: { url: string } }, ...args: string[]): Promise<string> {
  return runHcloud(home, on.sandbox.url, args);
}

// hcloud prints `null` for an empty list.
const json = async (...args: string[]) => JSON.parse(await hcloud(...args, '-o', 'json')) ?? [];

describeWithTool('hcloud', 'the hcloud CLI against the sandbox', () => {
  it('creates, describes and lists servers with an SSH key', async () => {
    expect(await hcloud('ssh-key', 'create', '--name', 'k', '--public-key', sshPublicKey())).toMatch(
      /SSH key \d+ created/,
    );
    const created = await hcloud(
      'server',
      'create',
      '--name',
      'x',
      '--type',
      'cpx11',
      '--image',
      'ubuntu-24.04',
      '--location',
      'fsn1',
      '--ssh-key',
      'k',
      '--label',
      'role=web',
    );
    expect(created).toMatch(/Server \d+ created/);
    expect(created).toContain('IPv4: 203.0.113.1');
    const described = await hcloud('server', 'describe', 'x');
    expect(described).toMatch(/Name:\s+x/);
    expect(described).toMatch(/Status:\s+running/);
    expect(described).toContain('fsn1-dc14');
    const server = await json('server', 'describe', 'x');
    expect(server).toMatchObject({
      name: 'x',
      status: 'running',
      server_type: { name: 'cpx11' },
      public_net: { ipv4: { ip: '203.0.113.1' } },
    });
    await hcloud(
      'server',
      'create',
      '--name',
      'y',
      '--type',
      'cx23',
      '--image',
      'debian-12',
      '--location',
      'nbg1',
      '--label',
      'role=db',
    );
    expect((await json('server', 'list', '-l', 'role=web')).map((s: any) => s.name)).toEqual(['x']);
    expect((await json('server', 'list')).map((s: any) => s.name).sort()).toEqual(['x', 'y']);
    expect(await hcloud('server', 'list', '-o', 'noheader', '-o', 'columns=name,status')).toMatch(/x\s+running/);
  });

  it('creates a network with a subnet and attaches a server to it', async () => {
    expect(
      await hcloud('network', 'create', '--name', 'net', '--ip-range', '10.0.0.0/16', '--label', 'cluster=c1'),
    ).toMatch(/Network \d+ created/);
    await hcloud(
      'network',
      'add-subnet',
      'net',
      '--type',
      'cloud',
      '--network-zone',
      'eu-central',
      '--ip-range',
      '10.0.1.0/24',
    );
    await hcloud('server', 'attach-to-network', 'x', '--network', 'net');
    const network = await json('network', 'describe', 'net');
    expect(network).toMatchObject({
      ip_range: '10.0.0.0/16',
      subnets: [{ ip_range: '10.0.1.0/24', gateway: '10.0.0.1' }],
    });
    expect(network.servers).toHaveLength(1);
    expect(await hcloud('server', 'describe', 'x')).toMatch(/IP:\s+10\.0\.1\.1/);
    expect((await json('network', 'list', '-l', 'cluster=c1')).map((n: any) => n.name)).toEqual(['net']);
  });

  it('creates volumes, in a location or attached to a server', async () => {
    expect(await hcloud('volume', 'create', '--name', 'v', '--size', '10', '--location', 'fsn1')).toMatch(
      /Volume \d+ created/,
    );
    await hcloud('volume', 'create', '--name', 'w', '--size', '20', '--server', 'x');
    const volumes = await json('volume', 'list');
    expect(volumes.map((v: any) => [v.name, v.size, v.server === null ? null : 'attached'])).toEqual([
      ['v', 10, null],
      ['w', 20, 'attached'],
    ]);
    expect(await hcloud('volume', 'describe', 'w')).toMatch(/Name:\s+x/);
  });

  it('creates a firewall, adds a rule and applies it to a server', async () => {
    expect(await hcloud('firewall', 'create', '--name', 'fw')).toMatch(/Firewall \d+ created/);
    await hcloud(
      'firewall',
      'add-rule',
      'fw',
      '--direction',
      'in',
      '--protocol',
      'tcp',
      '--port',
      '22',
      '--source-ips',
      '0.0.0.0/0',
      '--source-ips',
      '::/0',
    );
    await hcloud('firewall', 'apply-to-resource', 'fw', '--type', 'server', '--server', 'x');
    const firewall = await json('firewall', 'describe', 'fw');
    expect(firewall.rules).toMatchObject([
      { direction: 'in', protocol: 'tcp', port: '22', source_ips: ['0.0.0.0/0', '::/0'] },
    ]);
    expect(firewall.applied_to).toMatchObject([{ type: 'server' }]);
    expect((await json('server', 'describe', 'x')).public_net.firewalls).toHaveLength(1);
  });

  it('deletes everything again', async () => {
    await hcloud('firewall', 'remove-from-resource', 'fw', '--type', 'server', '--server', 'x');
    expect(await hcloud('firewall', 'delete', 'fw')).toMatch(/deleted/);
    await hcloud('volume', 'detach', 'w');
    await hcloud('volume', 'delete', 'v');
    await hcloud('volume', 'delete', 'w');
    expect(await hcloud('server', 'delete', 'x')).toMatch(/Server x deleted/);
    await hcloud('server', 'delete', 'y');
    await hcloud('network', 'delete', 'net');
    await hcloud('ssh-key', 'delete', 'k');
    expect(await json('server', 'list')).toEqual([]);
    expect(await json('volume', 'list')).toEqual([]);
    expect(await json('network', 'list')).toEqual([]);
    expect(await json('firewall', 'list')).toEqual([]);
    expect(await json('ssh-key', 'list')).toEqual([]);
    expect(await json('primary-ip', 'list')).toEqual([]);
  });

  it('deletes a firewall, network and placement group at once after the server they served, as a script would', async () => {
    const cli = (...args: string[]) => hcloudOn(stillFixture, ...args);
    await cli('firewall', 'create', '--name', 'edge');
    await cli('network', 'create', '--name', 'lan', '--ip-range', '10.1.0.0/16');
    await cli(
      'network',
      'add-subnet',
      'lan',
      '--type',
      'cloud',
      '--network-zone',
      'eu-central',
      '--ip-range',
      '10.1.1.0/24',
    );
    await cli('placement-group', 'create', '--name', 'spread', '--type', 'spread');
    await cli('volume', 'create', '--name', 'data', '--size', '10', '--location', 'fsn1');
    await cli(
      'server',
      'create',
      '--name',
      'z',
      '--type',
      'cpx11',
      '--image',
      'ubuntu-24.04',
      '--location',
      'fsn1',
      '--firewall',
      'edge',
      '--network',
      'lan',
      '--placement-group',
      'spread',
      '--volume',
      'data',
    );
    await cli('volume', 'detach', 'data');
    await cli('volume', 'delete', 'data');
    // From here on the server's delete action is still running when each next request arrives.
    heldClock.hold();
    try {
      expect(await cli('server', 'delete', 'z')).toMatch(/Server z deleted/);
      expect(await cli('firewall', 'delete', 'edge')).toMatch(/deleted/);
      expect(await cli('placement-group', 'delete', 'spread')).toMatch(/deleted/);
      expect(await cli('network', 'delete', 'lan')).toMatch(/deleted/);
    } finally {
      heldClock.release();
    }
    expect(await cli('firewall', 'list', '-o', 'json')).toMatch(/^null|\[\]/);
  });

  it('lists the catalogue', async () => {
    expect((await json('server-type', 'list')).map((t: any) => t.name)).toEqual(
      expect.arrayContaining(['cpx11', 'cpx22', 'ccx23', 'cx23']),
    );
    expect((await json('location', 'list')).map((l: any) => l.name)).toEqual([
      'fsn1',
      'nbg1',
      'hel1',
      'ash',
      'hil',
      'sin',
    ]);
    expect((await json('datacenter', 'list')).length).toBe(6);
    expect((await json('image', 'list', '--type', 'system')).map((i: any) => i.name)).toEqual(
      expect.arrayContaining(['ubuntu-24.04', 'debian-12']),
    );
    expect(await hcloud('server-type', 'describe', 'ccx23')).toMatch(/Cores:\s+4/);
  });
});

// Responses only: hcloud 1.30 sends ids as numbers where today's spec says strings (image,
// ssh_keys) and an empty body to detach; the sandbox, like the real API, accepts both.
if (onPath('hcloud')) describeContract(fixture.recorder);
