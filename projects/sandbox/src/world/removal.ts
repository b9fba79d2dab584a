// Removing a resource and everything that only made sense with it, the way Hetzner does on delete:
// a deleted server leaves its volumes detached, its auto-delete primary IPs gone, the others
// unassigned, no firewall still naming it, and its networks and placement group free.
import type { ResourceType, World } from './world';

export function removeResource(world: World, type: ResourceType, id: number): void {
  switch (type) {
    case 'server':
      removeServer(world, id);
      return;
    case 'network':
      for (const server of Object.values(world.servers))
        server.private_net = server.private_net.filter((n) => n.network !== id);
      delete world.networks[id];
      return;
    case 'placement_group':
      for (const server of Object.values(world.servers))
        if (server.placement_group === id) server.placement_group = null;
      delete world.placement_groups[id];
      return;
    case 'volume':
      delete world.volumes[id];
      return;
    case 'firewall':
      delete world.firewalls[id];
      return;
    case 'ssh_key':
      delete world.ssh_keys[id];
      return;
    case 'primary_ip':
      delete world.primary_ips[id];
      return;
  }
}

function removeServer(world: World, id: number): void {
  if (!world.servers[id]) return;
  releaseServer(world, id);
  delete world.servers[id];
}

/**
 * What a server lets go of as soon as its deletion is accepted: Hetzner detaches volumes, primary
 * IPs, firewalls, networks and placement groups "while the server is deleted", so a script may
 * delete them right after the server without waiting for the delete action.
 */
export function releaseServer(world: World, id: number): void {
  const server = world.servers[id];
  if (!server) return;
  for (const volume of Object.values(world.volumes)) if (volume.server === id) volume.server = null;
  for (const ip of Object.values(world.primary_ips)) {
    if (ip.assignee_id !== id) continue;
    if (ip.auto_delete) delete world.primary_ips[ip.id];
    else ip.assignee_id = null;
  }
  for (const firewall of Object.values(world.firewalls))
    firewall.applied_to = firewall.applied_to.filter((t) => !(t.type === 'server' && t.server.id === id));
  server.private_net = [];
  server.placement_group = null;
}
