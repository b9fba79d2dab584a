// The network path the README chose, enforced: the Hetzner nodes keep their private node IPs
// (reached from the tailnet through subnet routes), Oxygen joins on its Tailscale address, flannel's
// VXLAN runs over tailscale0 on Oxygen, and the agent's unit restarts with tailscaled. Each rule
// that fails is one sentence naming the file and the field. Pure: the callers read the files.
import { containsIp, ipToInt, isIpv4, parseCidr } from '@personal-cloud/cluster';
import type { K3sAgentConfig } from '../render/k3s-agent';
import { OXYGEN_K3S, TAILNET } from '../render/builder-settings';

/** What the rules read of a hosts.json node (the hosts layer's HostNode; the builder sits below hosts). */
interface HostsJsonNode {
  addresses?: { privateIpv4?: string };
  k3s?: { role?: string; nodeIp?: string; tlsSans?: string[]; clusterFlags?: string[] };
  tailscale?: { enable?: boolean; advertiseRoutes?: string[] };
  firewall?: { private?: { tcp?: number[]; udp?: number[] } };
}

export interface NetworkPathInput {
  /** dist/builder/render/k3s/config.yaml as parsed, and its path for the sentences. */
  agent: K3sAgentConfig;
  agentFile: string;
  /** vars.OXYGEN.tailscale_ip. */
  oxygenTailscaleIp: string;
  /** hosts.json as parsed, and its path. */
  hosts: unknown;
  hostsFile: string;
  /** The agent's rendered unit and its path; the NixOS module's source and its path. */
  agentUnit: { file: string; text: string };
  module: { file: string; text: string };
}

/** Ports the path needs on each node's private interface: Oxygen's traffic arrives there through the subnet router. */
const NEEDED = {
  server: { tcp: [6443, 10250], udp: [8472] },
  agent: { tcp: [10250], udp: [8472] },
} as const;

export function networkPathProblems(input: NetworkPathInput): { problems: string[]; ran: string } {
  const { agent, agentFile, hostsFile } = input;
  const problems: string[] = [];
  const tailnet = parseCidr(TAILNET.cidr)!;

  if (agent['node-ip'] !== input.oxygenTailscaleIp)
    problems.push(
      `${agentFile}: node-ip is "${agent['node-ip']}", not Oxygen's Tailscale address vars.OXYGEN.tailscale_ip; Oxygen joins on its tailnet address.`,
    );
  else if (!isIpv4(agent['node-ip']) || !containsIp(tailnet, ipToInt(agent['node-ip'])))
    problems.push(
      `${agentFile}: node-ip ${agent['node-ip']} (vars.OXYGEN.tailscale_ip) is outside the tailnet's ${TAILNET.cidr}; set Oxygen's \`tailscale ip -4\`.`,
    );
  if (agent['flannel-iface'] !== OXYGEN_K3S.flannelIface)
    problems.push(
      `${agentFile}: flannel-iface is "${agent['flannel-iface']}", not ${OXYGEN_K3S.flannelIface}: flannel's VXLAN on Oxygen must run over the tailnet (MTU ${TAILNET.mtu}, pods ${TAILNET.mtu - TAILNET.vxlanOverhead}).`,
    );

  const hosts = input.hosts as { nodes?: unknown; pending?: { node: string }[] };
  const nodes = Object.entries((hosts?.nodes ?? {}) as Record<string, HostsJsonNode>);
  // Nodes infra has not created yet are pending in hosts.json (a first run checks before infra
  // provisions): the server Oxygen joins through may be one of them, and is checked once rendered.
  const pending = hosts?.pending?.length ?? 0;
  const serverAddress = /^https:\/\/([^/:]+):6443$/.exec(agent.server)?.[1];
  const joined = nodes.find(([, n]) => n.k3s?.role === 'server' && n.addresses?.privateIpv4 === serverAddress);
  if (!joined && !pending)
    problems.push(
      `${agentFile}: server is "${agent.server}", which is no k3s server's private address in ${hostsFile}; Oxygen joins through a server's private address, which the subnet route reaches.`,
    );
  else if (joined && !joined[1].k3s?.tlsSans?.includes(serverAddress!))
    problems.push(
      `${hostsFile}: nodes.${joined[0]}.k3s.tlsSans lacks ${serverAddress}, the address Oxygen's agent joins through, so its certificate would be refused.`,
    );

  // The subnet routes the servers advertise: Oxygen reaches every node's private address through one.
  const routes = nodes
    .filter(([, n]) => n.k3s?.role === 'server')
    .flatMap(([, n]) => n.tailscale?.advertiseRoutes ?? [])
    .map((route) => parseCidr(route))
    .filter((route) => route !== undefined);
  for (const [name, node] of nodes) {
    const at = `${hostsFile}: nodes.${name}`;
    const address = node.addresses?.privateIpv4;
    if (address && isIpv4(address) && !routes.some((route) => containsIp(route, ipToInt(address))))
      problems.push(
        `${at}: no k3s server advertises a subnet route to its private address ${address} (tailscale.advertiseRoutes); Oxygen's agent reaches the Hetzner nodes through one.`,
      );
    if (node.k3s?.nodeIp !== node.addresses?.privateIpv4)
      problems.push(
        `${at}.k3s.nodeIp is "${node.k3s?.nodeIp}", not its private address ${node.addresses?.privateIpv4}; on the chosen path the Hetzner nodes keep their private node IPs.`,
      );
    if (node.tailscale?.enable !== true)
      problems.push(`${at}.tailscale.enable is not true; the node must reach Oxygen's node IP over the tailnet.`);
    const flannel = (node.k3s?.clusterFlags ?? []).find((f) => f.startsWith('--flannel-backend='));
    if (flannel !== '--flannel-backend=vxlan')
      problems.push(
        `${at}.k3s.clusterFlags has ${flannel ?? 'no --flannel-backend'}, not --flannel-backend=vxlan; the pod MTU ${TAILNET.mtu - TAILNET.vxlanOverhead} on Oxygen is tailscale0's ${TAILNET.mtu} less VXLAN's ${TAILNET.vxlanOverhead}.`,
      );
    const needed = NEEDED[node.k3s?.role === 'server' ? 'server' : 'agent'];
    for (const protocol of ['tcp', 'udp'] as const) {
      const open = node.firewall?.private?.[protocol] ?? [];
      const missing = needed[protocol].filter((port) => !open.includes(port));
      if (missing.length)
        problems.push(
          `${at}.firewall.private.${protocol} lacks ${missing.join(', ')}, which Oxygen's agent needs through the subnet route.`,
        );
    }
  }

  const tied = (text: string, key: string) =>
    text.split('\n').some((line) => line.startsWith(`${key}=`) && line.split(/[=\s]/).includes('tailscaled.service'));
  if (!tied(input.agentUnit.text, 'PartOf') || !tied(input.agentUnit.text, 'After'))
    problems.push(
      `${input.agentUnit.file}: [Unit] lacks PartOf= and After= tailscaled.service; a restart of tailscaled drops flannel's routes until k3s restarts.`,
    );
  if (!/partOf\s*=\s*\[\s*"tailscaled\.service"\s*\]/.test(input.module.text))
    problems.push(
      `${input.module.file}: systemd.services.k3s lacks partOf = [ "tailscaled.service" ]; a restart of tailscaled drops flannel's routes until k3s restarts.`,
    );
  if (!input.module.text.includes('"--accept-routes"'))
    problems.push(
      `${input.module.file}: services.tailscale.extraUpFlags lacks "--accept-routes"; Linux ignores the servers' subnet routes without it, so Oxygen would not reach the nodes' private addresses.`,
    );
  return {
    problems,
    ran: `the network path (Oxygen on its Tailscale address, ${nodes.length} Hetzner node(s) on their private addresses${pending ? ` and ${pending} not rendered yet` : ''}, flannel over ${OXYGEN_K3S.flannelIface}, the agent tied to tailscaled)`,
  };
}
