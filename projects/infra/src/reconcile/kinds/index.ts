import type { ResourceType } from '@personal-cloud/cluster';
import type { Kind } from '../kind';
import { firewallKind } from './firewall';
import { networkKind } from './network';
import { placementGroupKind } from './placement-group';
import { primaryIpKind } from './primary-ip';
import { serverKind } from './server';
import { sshKeyKind } from './ssh-key';
import { volumeKind } from './volume';

/** Every resource type the reconciler manages, by type. */
// biome-ignore lint/suspicious/noExplicitAny: each Kind has its own desired and observed types; the map is keyed by their type.
export const KINDS: Record<ResourceType, Kind<any, any>> = {
  ssh_key: sshKeyKind,
  network: networkKind,
  firewall: firewallKind,
  placement_group: placementGroupKind,
  primary_ip: primaryIpKind,
  volume: volumeKind,
  server: serverKind,
};
