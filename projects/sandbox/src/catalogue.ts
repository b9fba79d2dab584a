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
  { id: 1, name: 'fsn1', description: 'Falkenstein DC Park 1', country: 'DE', city: 'Falkenstein', latitude: 50.47612, longitude: 12.370071, network_zone: 'eu-central' },
  { id: 2, name: 'nbg1', description: 'Nuremberg DC Park 1', country: 'DE', city: 'Nuremberg', latitude: 49.452102, longitude: 11.076665, network_zone: 'eu-central' },
  { id: 3, name: 'hel1', description: 'Helsinki DC Park 1', country: 'FI', city: 'Helsinki', latitude: 60.169855, longitude: 24.938379, network_zone: 'eu-central' },
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
];

/** The datacenter `GET /datacenters` recommends and a create without location or datacenter lands in. */
export const RECOMMENDED_DATACENTER = 4;

export interface ServerType {
  id: number;
  name: string;
  description: string;
  cores: number;
  memory: number;
  disk: number;
  cpu_type: 'shared' | 'dedicated';
  category: string;
  architecture: 'x86' | 'arm';
  storage_type: 'local' | 'network';
  monthly: number;
}

export const SERVER_TYPES: readonly ServerType[] = [
  { id: 22, name: 'cpx11', description: 'CPX11', cores: 2, memory: 2, disk: 40, cpu_type: 'shared', category: 'regular_purpose', architecture: 'x86', storage_type: 'local', monthly: 3.29 },
  { id: 108, name: 'cx23', description: 'CX23', cores: 2, memory: 4, disk: 40, cpu_type: 'shared', category: 'cost_optimized', architecture: 'x86', storage_type: 'local', monthly: 2.99 },
  { id: 113, name: 'cpx22', description: 'CPX22', cores: 2, memory: 4, disk: 80, cpu_type: 'shared', category: 'regular_purpose', architecture: 'x86', storage_type: 'local', monthly: 5.99 },
  { id: 97, name: 'ccx23', description: 'CCX23', cores: 4, memory: 16, disk: 160, cpu_type: 'dedicated', category: 'general_purpose', architecture: 'x86', storage_type: 'local', monthly: 14.62 },
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
  { id: 67794396, name: 'ubuntu-22.04', description: 'Ubuntu 22.04', os_flavor: 'ubuntu', os_version: '22.04', created: '2022-04-21T13:32:38+00:00', architecture: 'x86' },
  { id: 114690387, name: 'debian-12', description: 'Debian 12', os_flavor: 'debian', os_version: '12', created: '2023-06-13T06:00:02+00:00', architecture: 'x86' },
  { id: 161547269, name: 'ubuntu-24.04', description: 'Ubuntu 24.04', os_flavor: 'ubuntu', os_version: '24.04', created: '2024-04-25T12:00:00+00:00', architecture: 'x86' },
  { id: 310557660, name: 'debian-13', description: 'Debian 13', os_flavor: 'debian', os_version: '13', created: '2025-08-12T08:00:00+00:00', architecture: 'x86' },
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
export function findByIdOrName<T extends { id: number; name: string }>(items: readonly T[], idOrName: string | number): T | undefined {
  const text = String(idOrName);
  return items.find((item) => item.name === text || String(item.id) === text);
}

export function datacenterOfLocation(locationId: number): Datacenter {
  return DATACENTERS.find((d) => d.location === locationId)!;
}
