// The sandbox's whole state as plain, serialisable data: what is persisted to disk is exactly this
// object. Records keep Hetzner's field names; relations are stored once, on the side that owns
// them (a volume names its server, a server its networks), and the reverse is derived on demand.

export type Labels = Record<string, string>;

/** Resource types the API lets a project create, as Hetzner names them in action resources. */
export type ResourceType = 'server' | 'volume' | 'network' | 'firewall' | 'ssh_key' | 'placement_group' | 'primary_ip';

export interface ResourceRef {
  id: number;
  type: string;
}

export interface PrivateNetRecord {
  network: number;
  ip: string;
  alias_ips: string[];
  mac_address: string;
}

export interface ServerRecord {
  id: number;
  name: string;
  created: number;
  labels: Labels;
  /** The settled power state; a running action shows a transitional status on top of it. */
  status: 'running' | 'off';
  server_type: number;
  datacenter: number;
  image: number | null;
  protection: { delete: boolean; rebuild: boolean };
  private_net: PrivateNetRecord[];
  placement_group: number | null;
  primary_disk_size: number;
  rescue_enabled: boolean;
  backup_window: string | null;
}

export interface VolumeRecord {
  id: number;
  name: string;
  created: number;
  labels: Labels;
  location: number;
  size: number;
  server: number | null;
  automount: boolean;
  protection: { delete: boolean };
  format: string | null;
  linux_device: string;
}

export interface SubnetRecord {
  type: 'cloud' | 'server' | 'vswitch';
  ip_range: string;
  network_zone: string;
  gateway: string;
  vswitch_id: number | null;
}

export interface NetworkRecord {
  id: number;
  name: string;
  created: number;
  labels: Labels;
  ip_range: string;
  subnets: SubnetRecord[];
  routes: { destination: string; gateway: string }[];
  protection: { delete: boolean };
  expose_routes_to_vswitch: boolean;
}

export interface FirewallRule {
  description: string | null;
  direction: 'in' | 'out';
  source_ips: string[];
  destination_ips: string[];
  protocol: 'tcp' | 'udp' | 'icmp' | 'esp' | 'gre';
  port: string | null;
}

export type FirewallTarget =
  | { type: 'server'; server: { id: number } }
  | { type: 'label_selector'; label_selector: { selector: string } };

export interface FirewallRecord {
  id: number;
  name: string;
  created: number;
  labels: Labels;
  rules: FirewallRule[];
  applied_to: FirewallTarget[];
}

export interface SshKeyRecord {
  id: number;
  name: string;
  created: number;
  labels: Labels;
  fingerprint: string;
  public_key: string;
}

export interface PlacementGroupRecord {
  id: number;
  name: string;
  created: number;
  labels: Labels;
  type: 'spread';
}

export interface PrimaryIpRecord {
  id: number;
  name: string;
  created: number;
  labels: Labels;
  type: 'ipv4' | 'ipv6';
  /** An IPv4 address, or an IPv6 /64 in CIDR notation, as Hetzner writes them. */
  ip: string;
  datacenter: number;
  assignee_id: number | null;
  auto_delete: boolean;
  protection: { delete: boolean };
  dns_ptr: { ip: string; dns_ptr: string }[];
}

export interface ActionFailure {
  code: string;
  message: string;
}

/** What happens to the world when an action ends, kept as data so a reloaded world still does it. */
export interface ActionEffect {
  remove: { type: ResourceType; id: number };
}

export interface ActionRecord {
  id: number;
  command: string;
  started: number;
  /** When the action stops running; it is settled lazily by the first request after that. */
  finishes: number;
  finished: number | null;
  status: 'running' | 'success' | 'error';
  resources: ResourceRef[];
  /** Decided when the action starts, so a seeded run repeats itself: null means it will succeed. */
  failure: ActionFailure | null;
  onSuccess?: ActionEffect;
  onFailure?: ActionEffect;
}

export const WORLD_FORMAT = 'personal-cloud-sandbox/1';

export interface World {
  format: typeof WORLD_FORMAT;
  /** The last id handed out, per kind; ids are never reused. */
  counters: Record<string, number>;
  servers: Record<string, ServerRecord>;
  volumes: Record<string, VolumeRecord>;
  networks: Record<string, NetworkRecord>;
  firewalls: Record<string, FirewallRecord>;
  ssh_keys: Record<string, SshKeyRecord>;
  placement_groups: Record<string, PlacementGroupRecord>;
  primary_ips: Record<string, PrimaryIpRecord>;
  actions: Record<string, ActionRecord>;
  /** Ids of the actions still running, so settling never scans the whole history. */
  running: number[];
}

export function emptyWorld(): World {
  return {
    format: WORLD_FORMAT,
    counters: {},
    servers: {},
    volumes: {},
    networks: {},
    firewalls: {},
    ssh_keys: {},
    placement_groups: {},
    primary_ips: {},
    actions: {},
    running: [],
  };
}

export type Table =
  | 'servers'
  | 'volumes'
  | 'networks'
  | 'firewalls'
  | 'ssh_keys'
  | 'placement_groups'
  | 'primary_ips'
  | 'actions';

export const TABLE_OF: Record<ResourceType, Table> = {
  server: 'servers',
  volume: 'volumes',
  network: 'networks',
  firewall: 'firewalls',
  ssh_key: 'ssh_keys',
  placement_group: 'placement_groups',
  primary_ip: 'primary_ips',
};

export function nextId(world: World, kind: Table): number {
  const id = (world.counters[kind] ?? 0) + 1;
  world.counters[kind] = id;
  return id;
}
