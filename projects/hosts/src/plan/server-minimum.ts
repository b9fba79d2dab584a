// k3s documents a server's minimum as 2 CPU cores and 2 GB of RAM
// (https://docs.k3s.io/installation/requirements); the seed's CPX11 is exactly that. It works,
// with little headroom for etcd and the API server, so the plan says so rather than refuses. Pure.
import { SERVER_TYPE_OFFERS, type NodeModel } from '@personal-cloud/cluster';

export const K3S_SERVER_MINIMUM = { cores: 2, memoryGb: 2 } as const;

/** One line per control-plane server type at (or below) k3s's minimum, naming its nodes; none otherwise. */
export function serverMinimumNotices(nodes: readonly Pick<NodeModel, 'name' | 'serverType' | 'k3s'>[]): string[] {
  const byType = new Map<string, string[]>();
  for (const node of nodes.filter((n) => n.k3s.role === 'server'))
    byType.set(node.serverType, [...(byType.get(node.serverType) ?? []), node.name]);
  return [...byType].flatMap(([type, names]) => {
    const offer = SERVER_TYPE_OFFERS[type as keyof typeof SERVER_TYPE_OFFERS];
    if (!offer || offer.cores > K3S_SERVER_MINIMUM.cores || offer.memoryGb > K3S_SERVER_MINIMUM.memoryGb) return [];
    const below = offer.cores < K3S_SERVER_MINIMUM.cores || offer.memoryGb < K3S_SERVER_MINIMUM.memoryGb;
    return [
      `${names.join(', ')} run${names.length === 1 ? 's' : ''} on ${type.toUpperCase()} (${offer.cores} vCPU, ${offer.memoryGb} GB), ${below ? 'below' : 'at'} k3s's documented minimum for a server (${K3S_SERVER_MINIMUM.cores} cores, ${K3S_SERVER_MINIMUM.memoryGb} GB RAM): etcd and the API server have little headroom; a larger control-plane type gives them room.`,
    ];
  });
}
