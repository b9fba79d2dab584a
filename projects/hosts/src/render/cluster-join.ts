// Who starts the k3s cluster and whom everybody else joins. The answer comes from hosts' state
// (is there a cluster yet?), never from the phase: a server wiped and reinstalled with
// clusterInit would start a second, empty cluster.
import { CloudError, type NodeModel } from '@personal-cloud/cluster';

export interface ClusterJoin {
  /** The server that starts a new cluster (clusterInit); null when a cluster exists. */
  bootstrap: string | null;
  /** The member everybody else joins through: `https://<its private IP>:6443`. */
  serverAddr: string;
}

export function clusterJoin(nodes: readonly NodeModel[], joinedServers: readonly string[], phase: number): ClusterJoin {
  const address = (node: NodeModel) => `https://${node.privateIp}:6443`;
  if (!joinedServers.length) {
    const first = nodes.find((n) => n.k3s.role === 'server');
    if (!first) throw new CloudError(`phase ${phase} has no k3s server: a pool with role control-plane, or a phase with none, is needed.`);
    return { bootstrap: first.name, serverAddr: address(first) };
  }
  // The oldest member that is still a node of this phase; its data holds the cluster.
  const member = joinedServers.map((name) => nodes.find((n) => n.name === name)).find((n) => n !== undefined);
  if (!member)
    throw new CloudError(
      `hosts' state says the cluster's servers are ${joinedServers.join(', ')}, and none of them is a node of phase ${phase}: no new node could join; go back to a phase that keeps one of them.`,
    );
  return { bootstrap: null, serverAddr: address(member) };
}
