// builder:check's network path rules on a real builder render and a hosts.json shaped as the
// hosts layer renders it: it passes as rendered, and each broken field is one sentence naming it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodesInPhase } from '@personal-cloud/cluster';
import { OXYGEN_NIX_DIR } from '../src/check/oxygen-module-eval';
import { networkPathProblems, type NetworkPathInput } from '../src/check/network-path';
import type { K3sAgentConfig } from '../src/render/k3s-agent';
import { builderConfig, OXYGEN_IP, renderAt } from './fixtures';

const config = builderConfig(2);
const rendered = renderAt(2).files;
const MODULE = join(OXYGEN_NIX_DIR, 'modules/oxygen.nix');

/** hosts.json's fields the rules read, as hosts:render makes them (render-hosts.ts, host-firewall.ts). */
function hostsJson() {
  const nodes = Object.fromEntries(
    nodesInPhase(config).map((node) => {
      const server = node.k3s.role === 'server';
      return [
        node.name,
        {
          addresses: { privateIpv4: node.privateIp },
          k3s: {
            role: node.k3s.role,
            nodeIp: node.privateIp,
            tlsSans: server ? [node.privateIp, `pc-${node.name}`] : [],
            clusterFlags: ['--cluster-cidr=10.42.0.0/16', '--flannel-backend=vxlan'],
          },
          tailscale: { enable: true, advertiseRoutes: server ? [config.networks[0]!.ipRange] : [] },
          firewall: { private: { tcp: server ? [22, 2379, 6443, 10250] : [22, 10250], udp: [8472] } },
        },
      ];
    }),
  );
  return { nodes };
}

function input(): NetworkPathInput {
  return {
    agent: JSON.parse(rendered['k3s/config.yaml']!) as K3sAgentConfig,
    agentFile: 'render/k3s/config.yaml',
    oxygenTailscaleIp: OXYGEN_IP,
    hosts: hostsJson(),
    hostsFile: 'hosts.json',
    agentUnit: { file: 'agent.service', text: rendered['systemd/personal-cloud-k3s-agent.service']! },
    module: { file: 'oxygen.nix', text: readFileSync(MODULE, 'utf8') },
  };
}

describe('the network path check', () => {
  it('passes the render and the hosts as they are', () => {
    const result = networkPathProblems(input());
    expect(result.problems).toEqual([]);
    expect(result.ran).toContain('Oxygen on its Tailscale address');
  });

  it('on a first run, before infra made the servers, does not fault the join address of a pending server', () => {
    const first = input();
    first.hosts = { nodes: {}, pending: [{ node: 'master-1', missingVars: [] }] };
    expect(networkPathProblems(first)).toMatchObject({ problems: [] });
    expect(networkPathProblems(first).ran).toContain(
      '0 Hetzner node(s) on their private addresses and 1 not rendered yet',
    );
  });

  it('names the agent field that leaves the chosen path', () => {
    const at = input();
    at.agent = { ...at.agent, 'node-ip': '192.168.1.5', 'flannel-iface': 'eth0', server: 'https://100.64.0.1:6443' };
    expect(networkPathProblems(at).problems).toEqual([
      'render/k3s/config.yaml: node-ip is "192.168.1.5", not Oxygen\'s Tailscale address vars.OXYGEN.tailscale_ip; Oxygen joins on its tailnet address.',
      'render/k3s/config.yaml: flannel-iface is "eth0", not tailscale0: flannel\'s VXLAN on Oxygen must run over the tailnet (MTU 1280, pods 1230).',
      'render/k3s/config.yaml: server is "https://100.64.0.1:6443", which is no k3s server\'s private address in hosts.json; Oxygen joins through a server\'s private address, which the subnet route reaches.',
    ]);
    const outside = input();
    outside.agent = { ...outside.agent, 'node-ip': '10.1.2.3' };
    outside.oxygenTailscaleIp = '10.1.2.3';
    expect(networkPathProblems(outside).problems).toEqual([
      "render/k3s/config.yaml: node-ip 10.1.2.3 (vars.OXYGEN.tailscale_ip) is outside the tailnet's 100.64.0.0/10; set Oxygen's `tailscale ip -4`.",
    ]);
  });

  it("names the hosts' field: tls-san, node IP, Tailscale, flannel backend, and a port the path needs", () => {
    const at = input();
    const hosts = at.hosts as ReturnType<typeof hostsJson>;
    const [server] = Object.entries(hosts.nodes).find(([, n]) => n.k3s.role === 'server')!;
    const node = hosts.nodes[server]!;
    node.k3s.tlsSans = [`pc-${server}`];
    node.k3s.nodeIp = '100.64.0.9';
    node.tailscale.enable = false;
    node.k3s.clusterFlags = ['--flannel-backend=wireguard-native'];
    node.firewall.private.udp = [];
    expect(networkPathProblems(at).problems).toEqual([
      `hosts.json: nodes.${server}.k3s.tlsSans lacks ${node.addresses.privateIpv4}, the address Oxygen's agent joins through, so its certificate would be refused.`,
      `hosts.json: nodes.${server}.k3s.nodeIp is "100.64.0.9", not its private address ${node.addresses.privateIpv4}; on the chosen path the Hetzner nodes keep their private node IPs.`,
      `hosts.json: nodes.${server}.tailscale.enable is not true; the node must reach Oxygen's node IP over the tailnet.`,
      `hosts.json: nodes.${server}.k3s.clusterFlags has --flannel-backend=wireguard-native, not --flannel-backend=vxlan; the pod MTU 1230 on Oxygen is tailscale0's 1280 less VXLAN's 50.`,
      `hosts.json: nodes.${server}.firewall.private.udp lacks 8472, which Oxygen's agent needs through the subnet route.`,
    ]);
  });

  it('names a node no server routes to, and an Oxygen that would not accept the route', () => {
    const at = input();
    const hosts = at.hosts as ReturnType<typeof hostsJson>;
    for (const node of Object.values(hosts.nodes)) node.tailscale.advertiseRoutes = [];
    at.module.text = at.module.text.replace('"--accept-routes"', '');
    const problems = networkPathProblems(at).problems;
    expect(problems).toHaveLength(Object.keys(hosts.nodes).length + 1);
    const [name, first] = Object.entries(hosts.nodes)[0]!;
    expect(problems[0]).toBe(
      `hosts.json: nodes.${name}: no k3s server advertises a subnet route to its private address ${first.addresses.privateIpv4} (tailscale.advertiseRoutes); Oxygen's agent reaches the Hetzner nodes through one.`,
    );
    expect(problems.at(-1)).toBe(
      'oxygen.nix: services.tailscale.extraUpFlags lacks "--accept-routes"; Linux ignores the servers\' subnet routes without it, so Oxygen would not reach the nodes\' private addresses.',
    );
  });

  it('names a unit or module that lost the tie to tailscaled', () => {
    const at = input();
    at.agentUnit.text = at.agentUnit.text.replace(/^PartOf=.*\n/m, '');
    at.module.text = at.module.text.replace(/partOf = \[ "tailscaled.service" \];/, '');
    expect(networkPathProblems(at).problems).toEqual([
      "agent.service: [Unit] lacks PartOf= and After= tailscaled.service; a restart of tailscaled drops flannel's routes until k3s restarts.",
      'oxygen.nix: systemd.services.k3s lacks partOf = [ "tailscaled.service" ]; a restart of tailscaled drops flannel\'s routes until k3s restarts.',
    ]);
  });
});
