import type { HcloudClient } from '../client';
import type { Labels } from '../labels';
import { listQuery } from '../pagination';
import type { LocationPrice } from './pricing';

/** What Hetzner offers — server types, locations, datacenters, images — looked up by name. */

export interface Deprecation {
  unavailable_after: string;
  announced: string;
}

export interface Location {
  id: number;
  name: string;
  description: string;
  country: string;
  city: string;
  latitude: number;
  longitude: number;
  network_zone: string;
}

export interface ServerType {
  id: number;
  name: string;
  description: string;
  cores: number;
  /** GB. */
  memory: number;
  /** GB. */
  disk: number;
  deprecated: boolean;
  prices: LocationPrice[];
  storage_type: 'local' | 'network';
  cpu_type: 'shared' | 'dedicated';
  category?: string;
  architecture: 'x86' | 'arm';
  deprecation?: Deprecation | null;
  /** Where the type is sold, and whether it is available there right now. */
  locations: Array<{
    id: number;
    name: string;
    deprecation: Deprecation | null;
    recommended: boolean;
    available: boolean;
  }>;
}

export interface Datacenter {
  id: number;
  name: string;
  description: string;
  location: Location;
  /** Deprecated by Hetzner in favour of ServerType.locations. */
  server_types: { supported: number[]; available: number[]; available_for_migration: number[] };
}

export interface Image {
  id: number;
  type: 'system' | 'app' | 'snapshot' | 'backup';
  status: 'available' | 'creating' | 'unavailable';
  /** Set for system images only, e.g. "debian-12". */
  name: string | null;
  description: string;
  image_size: number | null;
  disk_size: number;
  created: string;
  created_from: { id: number; name: string } | null;
  bound_to: number | null;
  os_flavor: 'ubuntu' | 'centos' | 'debian' | 'fedora' | 'rocky' | 'alma' | 'opensuse' | 'unknown';
  os_version: string | null;
  rapid_deploy?: boolean;
  protection: { delete: boolean };
  deprecated: string | null;
  deleted: string | null;
  labels: Labels;
  architecture: 'x86' | 'arm';
}

export function listServerTypes(client: HcloudClient, filter: { name?: string } = {}): Promise<ServerType[]> {
  return client.listAll<ServerType>('/server_types', 'server_types', { name: filter.name });
}

export function listLocations(client: HcloudClient, filter: { name?: string } = {}): Promise<Location[]> {
  return client.listAll<Location>('/locations', 'locations', { name: filter.name });
}

export function listDatacenters(client: HcloudClient, filter: { name?: string } = {}): Promise<Datacenter[]> {
  return client.listAll<Datacenter>('/datacenters', 'datacenters', { name: filter.name });
}

export interface ImageFilter {
  name?: string;
  type?: Array<Image['type']>;
  architecture?: Image['architecture'];
  /** Snapshots we made carry our labels. */
  labelSelector?: Labels | string;
}

export function listImages(client: HcloudClient, filter: ImageFilter = {}): Promise<Image[]> {
  return client.listAll<Image>('/images', 'images', {
    ...listQuery(filter),
    type: filter.type,
    architecture: filter.architecture,
  });
}
