// What the hosts layer keeps in the vault's state: the k3s servers that have joined the cluster.
// Render reads it to decide whether a new cluster must be started and whom the others join.
// The hosts layer's provision writes it as each node settles: a node's deploy once it is Ready
// (and, for a server, a healthy etcd member), so a rerun skips what is done and resumes the rest.
import { z } from 'zod';
import { CloudError } from '@personal-cloud/cluster';
import type { State } from '@personal-cloud/vault';

export const HOSTS_LAYER = 'hosts';

const hostsStateSchema = z.strictObject({
  /** Node names of the k3s servers that are members of the running cluster, oldest first. */
  k3sServers: z.array(z.string()).default([]),
  /** The Hetzner server each of k3sServers ran on when it joined: a member whose server was replaced is gone. */
  serverIds: z.record(z.string(), z.number()).default({}),
  /** Each node's last successful deploy: its configuration's hash, k3s role and the server it went to. */
  deployed: z
    .record(
      z.string(),
      z.strictObject({
        generation: z.string(),
        role: z.enum(['server', 'agent']),
        at: z.string(),
        serverId: z.number().optional(),
      }),
    )
    .default({}),
  /**
   * Workers taken out of the cluster (drained, node object deleted) after they left the config: the
   * server they ran on, so infra may delete it, and when. A node deployed again drops out of it.
   */
  decommissioned: z.record(z.string(), z.strictObject({ serverId: z.number().optional(), at: z.string() })).default({}),
});
export type HostsState = z.infer<typeof hostsStateSchema>;

export function readHostsState(state: State): HostsState {
  const raw = state.layers[HOSTS_LAYER];
  if (raw === undefined) return { k3sServers: [], serverIds: {}, deployed: {}, decommissioned: {} };
  const parsed = hostsStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CloudError(
      `the vault's state document has a malformed layers.hosts at ${['layers', 'hosts', ...issue.path].join('.')} (${issue.message}); repair it with \`npm run state -- edit state\`.`,
    );
  }
  return parsed.data;
}

/**
 * hosts' state as it holds for the servers that exist now: a member or deploy recorded on a
 * server that infra has since replaced (another id in the vars) was on a disk that is gone, so
 * it no longer counts. Without this, a cloud torn down and built again would look
 * installed, and its first server would try to join members that no longer exist.
 */
export function onCurrentServers(state: HostsState, serverIdOf: (node: string) => number | undefined): HostsState {
  // Only a known, different id proves the disk is gone; a node outside the phase or without vars
  // is kept, so that a refused phase change is still refused for the right reason.
  const same = (node: string, recorded: number | undefined) => {
    const current = serverIdOf(node);
    return recorded === undefined || current === undefined || recorded === current;
  };
  return {
    k3sServers: state.k3sServers.filter((node) => same(node, state.serverIds[node])),
    serverIds: Object.fromEntries(Object.entries(state.serverIds).filter(([node, id]) => same(node, id))),
    deployed: Object.fromEntries(Object.entries(state.deployed).filter(([node, d]) => same(node, d.serverId))),
    decommissioned: state.decommissioned,
  };
}
