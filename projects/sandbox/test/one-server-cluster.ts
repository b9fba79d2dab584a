// A cluster of one k3s server in the machine model, outside Hetzner (no server in the API's world):
// etcd has quorum, so the cluster's API side answers. For tests and benches of the layers above.
import type { MachineModel } from '../src/index';

export function bootstrapOneServer(machines: MachineModel, name: string, address: string): void {
  machines.registerExternalMachine(name, address);
  const answer = machines.run({
    step: 'install',
    node: name,
    serverId: null,
    args: { generation: 'g1', role: 'server', version: 'v1.31.4+k3s1', bootstrap: true, nodeIp: address },
  });
  if (answer.outcome !== 'ok') throw new Error(`bootstrapping ${name} failed: ${answer.message}`);
}
