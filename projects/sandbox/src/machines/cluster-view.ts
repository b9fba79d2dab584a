// The cluster as a client would see it at one instant: which etcd members are up, whether etcd
// has quorum (a majority of members up), and which nodes are Ready. Pure.
import type { MachineRecord, MachineWorld } from './machine-world';

export interface ClusterView {
  members: { name: string; up: boolean }[];
  quorum: boolean;
  /** Nodes whose kubelet reports Ready: the machine is on, k3s runs, and the API (etcd) has quorum. */
  ready: string[];
}

export type PowerOf = (machine: MachineRecord) => boolean;

export function clusterView(world: MachineWorld, isOn: PowerOf, at: number): ClusterView {
  const members = world.etcdMembers.map((member) => ({
    name: member.name,
    up: memberUp(world, member.name, isOn, at),
  }));
  const quorum = hasQuorum(members);
  const ready = Object.values(world.machines)
    .filter((m) => quorum && isOn(m) && m.k3s !== null && !m.k3s.stuck && at >= m.k3s.readyAt)
    .map((m) => m.name)
    .sort();
  return { members, quorum, ready };
}

/** etcd's rule: more than half of the members are up. */
export function hasQuorum(members: readonly { up: boolean }[]): boolean {
  return members.length > 0 && members.filter((m) => m.up).length * 2 > members.length;
}

function memberUp(world: MachineWorld, name: string, isOn: PowerOf, at: number): boolean {
  const machine = world.machines[name];
  const member = world.etcdMembers.find((m) => m.name === name);
  return (
    machine !== undefined &&
    member !== undefined &&
    isOn(machine) &&
    machine.k3s?.role === 'server' &&
    at >= member.healthyAt
  );
}
