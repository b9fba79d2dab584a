import type { Action } from '../../../src/hcloud/resources/actions';
import type { Datacenter, Image, Location, ServerType } from '../../../src/hcloud/resources/catalog';
import type { Firewall } from '../../../src/hcloud/resources/firewalls';
import type { Network } from '../../../src/hcloud/resources/networks';
import type { PlacementGroup } from '../../../src/hcloud/resources/placement-groups';
import type { Pricing } from '../../../src/hcloud/resources/pricing';
import type { PrimaryIp } from '../../../src/hcloud/resources/primary-ips';
import type { CreateServer, Server } from '../../../src/hcloud/resources/servers';
import type { SshKey } from '../../../src/hcloud/resources/ssh-keys';
import type { Volume } from '../../../src/hcloud/resources/volumes';

/** Answers shaped exactly as Hetzner's spec says (the contract tests check them against it). */

const created = '2026-01-01T00:00:00Z';
const labels = { 'managed-by': 'personal-cloud', cluster: 'test' };

export function action(overrides: Partial<Action> = {}): Action {
  return {
    id: 1,
    command: 'create_server',
    status: 'running',
    started: created,
    finished: null,
    progress: 0,
    resources: [{ id: 42, type: 'server' }],
    error: null,
    ...overrides,
  };
}

export function location(overrides: Partial<Location> = {}): Location {
  return {
    id: 1,
    name: 'fsn1',
    description: 'Falkenstein DC Park 1',
    country: 'DE',
    city: 'Falkenstein',
    latitude: 50.47612,
    longitude: 12.370071,
    network_zone: 'eu-central',
    ...overrides,
  };
}

export function datacenter(overrides: Partial<Datacenter> = {}): Datacenter {
  return {
    id: 2,
    name: 'fsn1-dc14',
    description: 'Falkenstein 1 virtual DC 14',
    location: location(),
    server_types: { supported: [1], available: [1], available_for_migration: [1] },
    ...overrides,
  };
}

const euro = (net: string) => ({ net, gross: net });

export function serverType(overrides: Partial<ServerType> = {}): ServerType {
  return {
    id: 1,
    name: 'ccx23',
    description: 'CCX23 Dedicated CPU',
    cores: 4,
    memory: 16,
    disk: 160,
    deprecated: false,
    prices: [
      {
        location: 'fsn1',
        price_hourly: euro('0.0240'),
        price_monthly: euro('14.6200'),
        included_traffic: 21990232555520,
        price_per_tb_traffic: euro('1.0000'),
      },
    ],
    storage_type: 'local',
    cpu_type: 'dedicated',
    category: 'dedicated',
    architecture: 'x86',
    deprecation: null,
    locations: [{ id: 1, name: 'fsn1', deprecation: null, recommended: true, available: true }],
    ...overrides,
  };
}

export function image(overrides: Partial<Image> = {}): Image {
  return {
    id: 114690387,
    type: 'system',
    status: 'available',
    name: 'debian-12',
    description: 'Debian 12',
    image_size: null,
    disk_size: 5,
    created,
    created_from: null,
    bound_to: null,
    os_flavor: 'debian',
    os_version: '12',
    rapid_deploy: true,
    protection: { delete: false },
    deprecated: null,
    deleted: null,
    labels: {},
    architecture: 'x86',
    ...overrides,
  };
}

export function server(overrides: Partial<Server> = {}): Server {
  return {
    id: 42,
    name: 'worker-1',
    status: 'running',
    created,
    public_net: {
      ipv4: { id: 7, ip: '203.0.113.10', blocked: false, dns_ptr: 'static.10.113.0.203.clients.your-server.de' },
      ipv6: null,
      floating_ips: [],
      firewalls: [{ id: 5, status: 'applied' }],
    },
    private_net: [{ network: 3, ip: '10.0.1.2', alias_ips: [], mac_address: '86:00:00:2a:7d:e0' }],
    server_type: serverType(),
    datacenter: datacenter(),
    location: location(),
    image: image(),
    iso: null,
    rescue_enabled: false,
    locked: false,
    backup_window: null,
    outgoing_traffic: 0,
    ingoing_traffic: 0,
    included_traffic: 21990232555520,
    protection: { delete: false, rebuild: false },
    labels: { ...labels, role: 'worker', name: 'worker-1' },
    volumes: [],
    load_balancers: [],
    primary_disk_size: 160,
    placement_group: null,
    ...overrides,
  };
}

export function network(overrides: Partial<Network> = {}): Network {
  return {
    id: 3,
    name: 'test-net',
    ip_range: '10.0.0.0/16',
    subnets: [{ type: 'cloud', ip_range: '10.0.1.0/24', network_zone: 'eu-central', gateway: '10.0.0.1' }],
    routes: [],
    servers: [],
    load_balancers: [],
    protection: { delete: false },
    labels: { ...labels, role: 'network', name: 'test-net' },
    created,
    expose_routes_to_vswitch: false,
    ...overrides,
  };
}

export function firewall(overrides: Partial<Firewall> = {}): Firewall {
  return {
    id: 5,
    name: 'test-fw',
    labels: { ...labels, role: 'firewall', name: 'test-fw' },
    created,
    rules: [
      {
        description: 'ssh',
        direction: 'in',
        source_ips: ['0.0.0.0/0', '::/0'],
        destination_ips: [],
        protocol: 'tcp',
        port: '22',
      },
    ],
    applied_to: [
      {
        type: 'label_selector',
        label_selector: { selector: 'cluster=test' },
        applied_to_resources: [{ type: 'server', server: { id: 42 } }],
      },
    ],
    ...overrides,
  };
}

export function placementGroup(overrides: Partial<PlacementGroup> = {}): PlacementGroup {
  return {
    id: 9,
    name: 'test-spread',
    labels: { ...labels, role: 'placement', name: 'test-spread' },
    type: 'spread',
    created,
    servers: [],
    ...overrides,
  };
}

export function volume(overrides: Partial<Volume> = {}): Volume {
  return {
    id: 11,
    created,
    name: 'worker-1-data',
    server: 42,
    location: location(),
    size: 500,
    linux_device: '/dev/disk/by-id/scsi-0HC_Volume_11',
    protection: { delete: false },
    labels: { ...labels, role: 'volume', name: 'worker-1-data' },
    status: 'available',
    format: 'ext4',
    ...overrides,
  };
}

export function primaryIp(overrides: Partial<PrimaryIp> = {}): PrimaryIp {
  return {
    id: 7,
    name: 'worker-1-ipv4',
    labels: { ...labels, role: 'ip', name: 'worker-1-ipv4' },
    created,
    blocked: false,
    datacenter: datacenter(),
    location: location(),
    ip: '203.0.113.10',
    dns_ptr: [{ ip: '203.0.113.10', dns_ptr: 'worker-1.example.com' }],
    protection: { delete: false },
    type: 'ipv4',
    auto_delete: false,
    assignee_type: 'server',
    assignee_id: 42,
    ...overrides,
  };
}

export function sshKey(overrides: Partial<SshKey> = {}): SshKey {
  return {
    id: 13,
    name: 'operator',
    fingerprint: 'b7:2f:30:a0:2f:6c:58:6c:21:04:58:61:ba:06:3b:2f',
    public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz operator@example',
    labels: { ...labels, role: 'ssh-key', name: 'operator' },
    created,
    ...overrides,
  };
}

export function pricing(): Pricing {
  const located = (net: string) => ({ location: 'fsn1', price_hourly: euro('0.0050'), price_monthly: euro(net) });
  return {
    currency: 'EUR',
    vat_rate: '19.00',
    primary_ips: [{ type: 'ipv4', prices: [located('0.5000')] }],
    floating_ips: [{ type: 'ipv4', prices: [{ location: 'fsn1', price_monthly: euro('3.0000') }] }],
    floating_ip: { price_monthly: euro('3.0000') },
    image: { price_per_gb_month: euro('0.0110') },
    volume: { price_per_gb_month: euro('0.0500') },
    server_backup: { percentage: '20.00' },
    server_types: [{ id: 1, name: 'ccx23', prices: serverType().prices }],
    load_balancer_types: [],
  };
}

/** A list answer: `{ [key]: items, meta: { pagination } }` for page `page` of `lastPage`. */
export function page<T>(key: string, items: T[], pageNumber = 1, lastPage = 1, perPage = 50): Record<string, unknown> {
  return {
    [key]: items,
    meta: {
      pagination: {
        page: pageNumber,
        per_page: perPage,
        previous_page: pageNumber > 1 ? pageNumber - 1 : null,
        next_page: pageNumber < lastPage ? pageNumber + 1 : null,
        last_page: lastPage,
        total_entries: null,
      },
    },
  };
}

/** A create_server body that uses every field the reconciler sends. */
export function createServerBody(): CreateServer {
  return {
    name: 'worker-1',
    server_type: 'ccx23',
    image: 'debian-12',
    location: 'fsn1',
    ssh_keys: ['operator'],
    placement_group: 9,
    volumes: [11],
    automount: false,
    networks: [3],
    firewalls: [{ firewall: 5 }],
    public_net: { enable_ipv4: true, enable_ipv6: false, ipv4: 7, ipv6: null },
    labels: { 'managed-by': 'personal-cloud', cluster: 'test', role: 'worker', name: 'worker-1' },
    start_after_create: true,
  };
}
