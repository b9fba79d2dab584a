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
  /** Each node's last successful deploy: its configuration's hash and k3s role. */
  deployed: z
    .record(z.string(), z.strictObject({ generation: z.string(), role: z.enum(['server', 'agent']), at: z.string() }))
    .default({}),
});
export type HostsState = z.infer<typeof hostsStateSchema>;

export function readHostsState(state: State): HostsState {
  const raw = state.layers[HOSTS_LAYER];
  if (raw === undefined) return { k3sServers: [], deployed: {} };
  const parsed = hostsStateSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new CloudError(
      `the vault's state document has a malformed layers.hosts at ${['layers', 'hosts', ...issue.path].join('.')} (${issue.message}); repair it with \`npm run state -- edit state\`.`,
    );
  }
  return parsed.data;
}
