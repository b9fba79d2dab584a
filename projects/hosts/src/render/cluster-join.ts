// Who starts the k3s cluster and whom each node joins. The answer comes from hosts' state (is
// there a cluster yet, and who is in it?), never from the phase: a server wiped and reinstalled
// with clusterInit would start a second, empty cluster.
import { CloudError, type NodeModel } from '@personal-cloud/cluster';

export interface NodeJoin {
  /** Starts a new cluster (k3s clusterInit). */
  bootstrap: boolean;
  /** The member it joins through, `https://<private IP>:6443`; null when it bootstraps. */
  serverAddr: string | null;
}

export interface ClusterJoin {
  /** The node that starts the cluster, if any does. */
  bootstrapNode: string | null;
  nodes: Map<string, NodeJoin>;
}

const apiOf = (node: NodeModel) => `https://${node.privateIp}:6443`;

/**
 * No cluster yet: the first k3s server bootstraps and everybody joins it. A cluster exists: each
 * node joins its oldest member other than itself, so a reinstalled member joins the others. A
 * sole member that stays a server keeps clusterInit, which k3s ignores once its datastore exists.
 */
export function clusterJoin(nodes: readonly NodeModel[], joinedServers: readonly string[], phase: number): ClusterJoin {
  const result = new Map<string, NodeJoin>();
  if (!joinedServers.length) {
    const first = nodes.find((n) => n.k3s.role === 'server');
    if (!first)
      throw new CloudError(
        `phase ${phase} has no k3s server: it needs a control-plane pool with nodes, or none at all.`,
      );
    for (const node of nodes)
      result.set(
        node.name,
        node === first ? { bootstrap: true, serverAddr: null } : { bootstrap: false, serverAddr: apiOf(first) },
      );
    return { bootstrapNode: first.name, nodes: result };
  }
  const members = joinedServers
    .map((name) => nodes.find((n) => n.name === name))
    .filter((n): n is NodeModel => n !== undefined);
  if (!members.length)
    throw new CloudError(
      `hosts' state says the cluster's servers are ${joinedServers.join(', ')}, and none of them is a node of phase ${phase}, so no node could join: choose a phase that keeps one of them.`,
    );
  let bootstrapNode: string | null = null;
  const firstServer = nodes.find((n) => n.k3s.role === 'server');
  for (const node of nodes) {
    // A sole member that this phase makes an agent (phase 1's server in phase 2) ends up joining the new servers.
    const via = members.find((m) => m !== node) ?? (node.k3s.role === 'agent' ? firstServer : undefined);
    if (via) result.set(node.name, { bootstrap: false, serverAddr: apiOf(via) });
    else {
      bootstrapNode = node.name;
      result.set(node.name, { bootstrap: true, serverAddr: null });
    }
  }
  return { bootstrapNode, nodes: result };
}
