import { SERVER_TYPE_OFFERS, type ServerType as ServerTypeName } from '@personal-cloud/cluster';

// What the sandbox's Hetzner sells: locations, datacenters, server types, images and prices. Static
// data, never persisted; the seed's prices are the ones the project's cost model is checked against
// (CPX11 €3.29, CCX23 €14.62, a volume €0.05 per GB-month, a primary IPv4 €0.50 a month; all net).

export const VAT_RATE = 19;
export const CURRENCY = 'EUR';
/** 20 TB, the traffic Hetzner includes with every server type in its EU locations. */
export const INCLUDED_TRAFFIC = 21_990_232_555_520;

export interface Price {
  net: string;
  gross: string;
}

export function price(net: number): Price {
  return { net: net.toFixed(4), gross: ((net * (100 + VAT_RATE)) / 100).toFixed(4) };
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

export const LOCATIONS: readonly Location[] = [
  {
    id: 1,
    name: 'fsn1',
    description: 'Falkenstein DC Park 1',
    country: 'DE',
    city: 'Falkenstein',
    latitude: 50.47612,
    longitude: 12.370071,
    network_zone: 'eu-central',
  },
  {
    id: 2,
    name: 'nbg1',
    description: 'Nuremberg DC Park 1',
    country: 'DE',
    city: 'Nuremberg',
    latitude: 49.452102,
    longitude: 11.076665,
    network_zone: 'eu-central',
  },
  {
    id: 3,
    name: 'hel1',
    description: 'Helsinki DC Park 1',
    country: 'FI',
    city: 'Helsinki',
    latitude: 60.169855,
    longitude: 24.938379,
    network_zone: 'eu-central',
  },
  {
    id: 4,
    name: 'ash',
    description: 'Ashburn, VA',
    country: 'US',
    city: 'Ashburn, VA',
    latitude: 39.045821,
    longitude: -77.487073,
    network_zone: 'us-east',
  },
  {
    id: 5,
    name: 'hil',
    description: 'Hillsboro, OR',
    country: 'US',
    city: 'Hillsboro, OR',
    latitude: 45.54222,
    longitude: -122.951924,
    network_zone: 'us-west',
  },
  {
    id: 6,
    name: 'sin',
    description: 'Singapore',
    country: 'SG',
    city: 'Singapore',
    latitude: 1.283333,
    longitude: 103.833333,
    network_zone: 'ap-southeast',
  },
];

export interface Datacenter {
  id: number;
  name: string;
  description: string;
  location: number;
}

export const DATACENTERS: readonly Datacenter[] = [
  { id: 2, name: 'nbg1-dc3', description: 'Nuremberg 1 virtual DC 3', location: 2 },
  { id: 3, name: 'hel1-dc2', description: 'Helsinki 1 virtual DC 2', location: 3 },
  { id: 4, name: 'fsn1-dc14', description: 'Falkenstein 1 virtual DC 14', location: 1 },
  { id: 5, name: 'ash-dc1', description: 'Ashburn virtual DC 1', location: 4 },
  { id: 6, name: 'hil-dc1', description: 'Hillsboro virtual DC 1', location: 5 },
  { id: 7, name: 'sin-dc1', description: 'Singapore virtual DC 1', location: 6 },
];

/** The datacenter `GET /datacenters` recommends and a create without location or datacenter lands in. */
export const RECOMMENDED_DATACENTER = 4;

export interface ServerType {
  id: number;
  name: ServerTypeName;
  description: string;
  cores: number;
  memory: number;
  disk: number;
  cpu_type: 'shared' | 'dedicated';
  category: string;
  architecture: 'x86' | 'arm';
  storage_type: 'local' | 'network';
  monthly: number;
  /** Names of the locations that sell it, from the cluster library's catalogue (the one validation checks against). */
  locations: readonly string[];
}

/**
 * Every type the cluster model accepts, with Hetzner's published sizes. The seed's two prices are
 * exact (the cost model is checked against them); the others are the sandbox's list prices,
 * close to Hetzner's but not a quote. Sizes, architecture and locations come from the cluster
 * library's SERVER_TYPE_OFFERS, so the sandbox sells a type exactly where validation allows it.
 */
const type = (
  id: number,
  name: ServerTypeName,
  cpu_type: 'shared' | 'dedicated',
  category: string,
  monthly: number,
): ServerType => ({
  id,
  name,
  description: name.toUpperCase(),
  cores: SERVER_TYPE_OFFERS[name].cores,
  memory: SERVER_TYPE_OFFERS[name].memoryGb,
  disk: SERVER_TYPE_OFFERS[name].diskGb,
  cpu_type,
  category,
  architecture: SERVER_TYPE_OFFERS[name].architecture,
  storage_type: 'local',
  monthly,
  locations: SERVER_TYPE_OFFERS[name].locations,
});

export const SERVER_TYPES: readonly ServerType[] = [
  type(22, 'cpx11', 'shared', 'regular_purpose', 3.29),
  type(23, 'cpx21', 'shared', 'regular_purpose', 5.83),
  type(24, 'cpx31', 'shared', 'regular_purpose', 10.9),
  type(25, 'cpx41', 'shared', 'regular_purpose', 19.9),
  type(26, 'cpx51', 'shared', 'regular_purpose', 38.9),
  type(112, 'cpx12', 'shared', 'regular_purpose', 4.49),
  type(113, 'cpx22', 'shared', 'regular_purpose', 5.99),
  type(114, 'cpx32', 'shared', 'regular_purpose', 10.49),
  type(115, 'cpx42', 'shared', 'regular_purpose', 19.49),
  type(116, 'cpx52', 'shared', 'regular_purpose', 27.99),
  type(117, 'cpx62', 'shared', 'regular_purpose', 38.99),
  type(101, 'cx22', 'shared', 'cost_optimized', 3.79),
  type(102, 'cx32', 'shared', 'cost_optimized', 6.8),
  type(103, 'cx42', 'shared', 'cost_optimized', 16.4),
  type(104, 'cx52', 'shared', 'cost_optimized', 32.4),
  type(108, 'cx23', 'shared', 'cost_optimized', 2.99),
  type(109, 'cx33', 'shared', 'cost_optimized', 4.99),
  type(110, 'cx43', 'shared', 'cost_optimized', 8.99),
  type(111, 'cx53', 'shared', 'cost_optimized', 16.99),
  type(96, 'ccx13', 'dedicated', 'general_purpose', 12.49),
  type(97, 'ccx23', 'dedicated', 'general_purpose', 14.62),
  type(98, 'ccx33', 'dedicated', 'general_purpose', 49.9),
  type(99, 'ccx43', 'dedicated', 'general_purpose', 99.9),
  type(100, 'ccx53', 'dedicated', 'general_purpose', 199.9),
  type(105, 'ccx63', 'dedicated', 'general_purpose', 299.9),
  type(45, 'cax11', 'shared', 'cost_optimized', 3.79),
  type(93, 'cax21', 'shared', 'cost_optimized', 6.49),
  type(94, 'cax31', 'shared', 'cost_optimized', 12.49),
  type(95, 'cax41', 'shared', 'cost_optimized', 24.49),
];

export interface Image {
  id: number;
  name: string;
  description: string;
  os_flavor: 'ubuntu' | 'debian';
  os_version: string;
  created: string;
  architecture: 'x86' | 'arm';
}

export const IMAGES: readonly Image[] = [
  {
    id: 67794396,
    name: 'ubuntu-22.04',
    description: 'Ubuntu 22.04',
    os_flavor: 'ubuntu',
    os_version: '22.04',
    created: '2022-04-21T13:32:38+00:00',
    architecture: 'x86',
  },
  {
    id: 114690387,
    name: 'debian-12',
    description: 'Debian 12',
    os_flavor: 'debian',
    os_version: '12',
    created: '2023-06-13T06:00:02+00:00',
    architecture: 'x86',
  },
  {
    id: 161547269,
    name: 'ubuntu-24.04',
    description: 'Ubuntu 24.04',
    os_flavor: 'ubuntu',
    os_version: '24.04',
    created: '2024-04-25T12:00:00+00:00',
    architecture: 'x86',
  },
  {
    id: 310557660,
    name: 'debian-13',
    description: 'Debian 13',
    os_flavor: 'debian',
    os_version: '13',
    created: '2025-08-12T08:00:00+00:00',
    architecture: 'x86',
  },
];

export const PRICES = {
  primaryIpv4Monthly: 0.5,
  primaryIpv6Monthly: 0,
  floatingIpv4Monthly: 3,
  floatingIpv6Monthly: 3,
  volumeGbMonth: 0.05,
  imageGbMonth: 0.011,
  serverBackupPercentage: '20.00',
  trafficPerTb: 1,
} as const;

/** Hetzner bills by the hour, capped at the monthly price; about 620 hours make a month's price. */
export function hourly(monthly: number): number {
  return Math.round((monthly / 620) * 10_000) / 10_000;
}

export function locationById(id: number): Location | undefined {
  return LOCATIONS.find((l) => l.id === id);
}

export function datacenterById(id: number): Datacenter | undefined {
  return DATACENTERS.find((d) => d.id === id);
}

export function serverTypeById(id: number): ServerType | undefined {
  return SERVER_TYPES.find((t) => t.id === id);
}

export function imageById(id: number): Image | undefined {
  return IMAGES.find((i) => i.id === id);
}

/** A catalogue entry named by id or name, as create requests may name them. */
export function findByIdOrName<T extends { id: number; name: string }>(
  items: readonly T[],
  idOrName: string | number,
): T | undefined {
  const text = String(idOrName);
  return items.find((item) => item.name === text || String(item.id) === text);
}

export function datacenterOfLocation(locationId: number): Datacenter {
  return DATACENTERS.find((d) => d.location === locationId)!;
}
