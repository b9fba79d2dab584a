// One paginated list per resource type, selected by the cluster's labels (principle 6).
import { clusterSelector } from '@personal-cloud/cluster';
import type { HcloudClient } from '../hcloud/client';
import * as firewalls from '../hcloud/resources/firewalls';
import * as networks from '../hcloud/resources/networks';
import * as placementGroups from '../hcloud/resources/placement-groups';
import * as primaryIps from '../hcloud/resources/primary-ips';
import * as servers from '../hcloud/resources/servers';
import * as sshKeys from '../hcloud/resources/ssh-keys';
import * as volumes from '../hcloud/resources/volumes';
import type { Listings } from './observed';

export async function listCluster(client: HcloudClient, cluster: string): Promise<Listings> {
  const filter = { labelSelector: clusterSelector(cluster) };
  const [ssh_keys, nets, fws, groups, ips, vols, srvs] = await Promise.all([
    sshKeys.list(client, filter),
    networks.list(client, filter),
    firewalls.list(client, filter),
    placementGroups.list(client, filter),
    primaryIps.list(client, filter),
    volumes.list(client, filter),
    servers.list(client, filter),
  ]);
  return {
    ssh_keys,
    networks: nets,
    firewalls: fws,
    placement_groups: groups,
    primary_ips: ips,
    volumes: vols,
    servers: srvs,
  };
}
