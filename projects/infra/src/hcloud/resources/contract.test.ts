import { beforeAll, expect, it } from 'vitest';
import { describeWithFile } from '../../../../../tools/test-support/external-tools';
import { loadContract, type Contract } from '../../../../../tools/test-support/openapi-contract';
import { openapiSpecPath } from '../../../../../tools/test-support/openapi-spec';
import type { HcloudClient } from '../client';
import type { ReceivedRequest } from '../../../test/support/hcloud/fake-hetzner';
import * as fx from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as actions from './actions';
import * as catalog from './catalog';
import * as firewalls from './firewalls';
import * as networks from './networks';
import * as placementGroups from './placement-groups';
import * as pricing from './pricing';
import * as primaryIps from './primary-ips';
import * as servers from './servers';
import * as sshKeys from './ssh-keys';
import * as volumes from './volumes';

/**
 * Every operation of every resource module against Hetzner's own OpenAPI spec: the request goes to
 * the operation we mean (by operationId), its body matches the operation's request schema, and the
 * fixture answer the other tests rely on matches the response schema (so the types are right).
 */

type Answer = { status: number; body?: unknown };
type Case = [operationId: string, call: (client: HcloudClient) => Promise<unknown>, reply: Answer];

const labels = { 'managed-by': 'personal-cloud', cluster: 'test' };
const running = fx.action();
const one = (key: string, value: unknown, status = 200) => ({ status, body: { [key]: value } });
const act = (status = 201) => one('action', running, status);
const acts = { status: 201, body: { actions: [running] } };
const gone = { status: 204 };
const rule: firewalls.NewFirewallRule = {
  description: 'ssh',
  direction: 'in',
  protocol: 'tcp',
  port: '22',
  source_ips: ['0.0.0.0/0'],
};
const selector: firewalls.FirewallTarget = { type: 'label_selector', label_selector: { selector: 'cluster=test' } };

const cases: Case[] = [
  [
    'list_ssh_keys',
    (c) => sshKeys.list(c, { labelSelector: labels }),
    { status: 200, body: fx.page('ssh_keys', [fx.sshKey()]) },
  ],
  [
    'create_ssh_key',
    (c) => sshKeys.create(c, { name: 'operator', public_key: 'ssh-ed25519 AAAA', labels }),
    one('ssh_key', fx.sshKey(), 201),
  ],
  ['get_ssh_key', (c) => sshKeys.get(c, 13), one('ssh_key', fx.sshKey())],
  ['update_ssh_key', (c) => sshKeys.update(c, 13, { labels }), one('ssh_key', fx.sshKey())],
  ['delete_ssh_key', (c) => sshKeys.delete(c, 13), gone],

  [
    'list_networks',
    (c) => networks.list(c, { labelSelector: labels }),
    { status: 200, body: fx.page('networks', [fx.network()]) },
  ],
  [
    'create_network',
    (c) =>
      networks.create(c, {
        name: 'net',
        ip_range: '10.0.0.0/16',
        labels,
        subnets: [{ type: 'cloud', ip_range: '10.0.1.0/24', network_zone: 'eu-central' }],
      }),
    one('network', fx.network(), 201),
  ],
  ['get_network', (c) => networks.get(c, 3), one('network', fx.network())],
  ['update_network', (c) => networks.update(c, 3, { labels }), one('network', fx.network())],
  ['delete_network', (c) => networks.delete(c, 3), gone],
  [
    'add_network_subnet',
    (c) => networks.addSubnet(c, 3, { type: 'cloud', ip_range: '10.0.2.0/24', network_zone: 'eu-central' }),
    act(),
  ],
  ['delete_network_subnet', (c) => networks.deleteSubnet(c, 3, { ip_range: '10.0.2.0/24' }), act()],
  ['change_network_ip_range', (c) => networks.changeIpRange(c, 3, { ip_range: '10.0.0.0/8' }), act()],
  ['change_network_protection', (c) => networks.changeProtection(c, 3, { delete: true }), act()],

  [
    'list_firewalls',
    (c) => firewalls.list(c, { labelSelector: labels }),
    { status: 200, body: fx.page('firewalls', [fx.firewall()]) },
  ],
  [
    'create_firewall',
    (c) => firewalls.create(c, { name: 'fw', labels, rules: [rule], apply_to: [selector] }),
    { status: 201, body: { firewall: fx.firewall(), actions: [running] } },
  ],
  ['get_firewall', (c) => firewalls.get(c, 5), one('firewall', fx.firewall())],
  ['update_firewall', (c) => firewalls.update(c, 5, { labels }), one('firewall', fx.firewall())],
  ['delete_firewall', (c) => firewalls.delete(c, 5), gone],
  ['set_firewall_rules', (c) => firewalls.setRules(c, 5, [rule]), acts],
  [
    'apply_firewall_to_resources',
    (c) => firewalls.applyToResources(c, 5, [{ type: 'server', server: { id: 42 } }]),
    acts,
  ],
  ['remove_firewall_from_resources', (c) => firewalls.removeFromResources(c, 5, [selector]), acts],
  [
    'list_firewall_actions',
    (c) => actions.running(c, 'firewalls', 5),
    { status: 200, body: fx.page('actions', [running]) },
  ],

  [
    'list_placement_groups',
    (c) => placementGroups.list(c, { labelSelector: labels }),
    { status: 200, body: fx.page('placement_groups', [fx.placementGroup()]) },
  ],
  [
    'create_placement_group',
    (c) => placementGroups.create(c, { name: 'spread', type: 'spread', labels }),
    { status: 201, body: { placement_group: fx.placementGroup(), action: null } },
  ],
  ['get_placement_group', (c) => placementGroups.get(c, 9), one('placement_group', fx.placementGroup())],
  [
    'update_placement_group',
    (c) => placementGroups.update(c, 9, { labels }),
    one('placement_group', fx.placementGroup()),
  ],
  ['delete_placement_group', (c) => placementGroups.delete(c, 9), gone],

  [
    'list_servers',
    (c) => servers.list(c, { labelSelector: labels, status: ['running'] }),
    { status: 200, body: fx.page('servers', [fx.server()]) },
  ],
  [
    'create_server',
    (c) => servers.create(c, fx.createServerBody()),
    {
      status: 201,
      body: {
        server: fx.server(),
        action: running,
        next_actions: [fx.action({ id: 2, command: 'start_server' })],
        root_password: null,
      },
    },
  ],
  ['get_server', (c) => servers.get(c, 42), one('server', fx.server())],
  ['update_server', (c) => servers.update(c, 42, { labels }), one('server', fx.server())],
  ['delete_server', (c) => servers.delete(c, 42), act(200)],
  ['poweron_server', (c) => servers.powerOn(c, 42), act()],
  ['poweroff_server', (c) => servers.powerOff(c, 42), act()],
  ['shutdown_server', (c) => servers.shutdown(c, 42), act()],
  ['change_server_type', (c) => servers.changeType(c, 42, { server_type: 'ccx33', upgrade_disk: false }), act()],
  ['attach_server_to_network', (c) => servers.attachToNetwork(c, 42, { network: 3, ip: '10.0.1.5' }), act()],
  ['detach_server_from_network', (c) => servers.detachFromNetwork(c, 42, { network: 3 }), act()],
  ['add_server_to_placement_group', (c) => servers.addToPlacementGroup(c, 42, { placement_group: 9 }), act()],
  ['remove_server_from_placement_group', (c) => servers.removeFromPlacementGroup(c, 42), act()],
  ['change_server_protection', (c) => servers.changeProtection(c, 42, { delete: true, rebuild: true }), act()],
  [
    'rebuild_server',
    (c) => servers.rebuild(c, 42, { image: 'debian-12' }),
    { status: 201, body: { action: running, root_password: null } },
  ],
  [
    'list_server_actions',
    (c) => actions.running(c, 'servers', 42),
    { status: 200, body: fx.page('actions', [running]) },
  ],

  [
    'list_volumes',
    (c) => volumes.list(c, { labelSelector: labels }),
    { status: 200, body: fx.page('volumes', [fx.volume()]) },
  ],
  [
    'create_volume',
    (c) => volumes.create(c, { name: 'data', size: 500, server: 42, automount: true, format: 'ext4', labels }),
    { status: 201, body: { volume: fx.volume(), action: running, next_actions: [] } },
  ],
  ['get_volume', (c) => volumes.get(c, 11), one('volume', fx.volume())],
  ['update_volume', (c) => volumes.update(c, 11, { labels }), one('volume', fx.volume())],
  ['delete_volume', (c) => volumes.delete(c, 11), gone],
  ['attach_volume', (c) => volumes.attach(c, 11, { server: 42, automount: true }), act()],
  ['detach_volume', (c) => volumes.detach(c, 11), act()],
  ['resize_volume', (c) => volumes.resize(c, 11, { size: 600 }), act()],
  ['change_volume_protection', (c) => volumes.changeProtection(c, 11, { delete: true }), act()],
  [
    'list_volume_actions',
    (c) => actions.running(c, 'volumes', 11),
    { status: 200, body: fx.page('actions', [running]) },
  ],

  [
    'list_primary_ips',
    (c) => primaryIps.list(c, { labelSelector: labels }),
    { status: 200, body: fx.page('primary_ips', [fx.primaryIp()]) },
  ],
  [
    'create_primary_ip',
    (c) =>
      primaryIps.create(c, {
        name: 'ip',
        type: 'ipv4',
        assignee_type: 'server',
        location: 'fsn1',
        auto_delete: false,
        labels,
      }),
    { status: 201, body: { primary_ip: fx.primaryIp({ assignee_id: null }) } },
  ],
  ['get_primary_ip', (c) => primaryIps.get(c, 7), one('primary_ip', fx.primaryIp())],
  [
    'update_primary_ip',
    (c) => primaryIps.update(c, 7, { labels, auto_delete: false }),
    one('primary_ip', fx.primaryIp()),
  ],
  ['delete_primary_ip', (c) => primaryIps.delete(c, 7), gone],
  ['assign_primary_ip', (c) => primaryIps.assign(c, 7, { assignee_id: 42 }), act()],
  ['unassign_primary_ip', (c) => primaryIps.unassign(c, 7), act()],
  ['change_primary_ip_protection', (c) => primaryIps.changeProtection(c, 7, { delete: true }), act()],
  [
    'list_primary_ip_actions',
    (c) => actions.running(c, 'primary_ips', 7),
    { status: 200, body: fx.page('actions', [running]) },
  ],

  ['get_actions', (c) => actions.get(c, [1, 2]), { status: 200, body: { actions: [running] } }],
  ['get_pricing', (c) => pricing.get(c), one('pricing', fx.pricing())],
  [
    'list_server_types',
    (c) => catalog.listServerTypes(c, { name: 'ccx23' }),
    { status: 200, body: fx.page('server_types', [fx.serverType()]) },
  ],
  [
    'list_locations',
    (c) => catalog.listLocations(c, { name: 'fsn1' }),
    { status: 200, body: fx.page('locations', [fx.location()]) },
  ],
  [
    'list_datacenters',
    (c) => catalog.listDatacenters(c, { name: 'fsn1-dc14' }),
    { status: 200, body: { ...fx.page('datacenters', [fx.datacenter()]), recommendation: 2 } },
  ],
  [
    'list_images',
    (c) => catalog.listImages(c, { name: 'debian-12', type: ['system'], architecture: 'x86' }),
    { status: 200, body: fx.page('images', [fx.image()]) },
  ],
];

const api = useFakeHetzner();

describeWithFile(openapiSpecPath(), 'hcloud resources against the Hetzner OpenAPI spec', () => {
  let contract: Contract;
  beforeAll(() => {
    contract = loadContract(openapiSpecPath());
  });

  it.each(cases)('%s: path, request body and answer match the spec', async (operationId, call, reply) => {
    api.fake.fallback = () => reply;
    await call(api.client);
    expect(api.fake.requests).toHaveLength(1);
    const request = api.fake.requests[0] as ReceivedRequest;
    const path = `/v1${request.path}?${request.rawQuery}`;
    expect(contract.operation(request.method, path)?.operationId).toBe(operationId);
    expect(contract.checkRequest(request.method, path, request.body)).toEqual([]);
    expect(contract.checkResponse(request.method, path, reply.status, reply.body)).toEqual([]);
  });

  it('covers every operation the resource modules use exactly once', () => {
    const ids = cases.map(([id]) => id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each([
    ['POST', '/v1/servers', 422, 'invalid_input', { fields: [{ name: 'server_type', messages: ['not found'] }] }],
    ['POST', '/v1/servers', 403, 'resource_limit_exceeded', { limits: [{ name: 'server_limit' }] }],
    ['POST', '/v1/ssh_keys', 409, 'uniqueness_error', { fields: [{ name: 'public_key' }] }],
    ['GET', '/v1/servers', 401, 'unauthorized', {}],
    ['GET', '/v1/servers', 429, 'rate_limit_exceeded', {}],
    ['POST', '/v1/servers/1/actions/poweron', 423, 'locked', {}],
    ['POST', '/v1/servers/1/actions/poweron', 409, 'conflict', {}],
    ['GET', '/v1/servers', 503, 'unavailable', {}],
    ['GET', '/v1/servers', 504, 'timeout', {}],
  ] as const)(
    'the error answers the tests script are ones Hetzner documents: %s %s %i %s',
    (method, path, status, code, details) => {
      expect(contract.checkResponse(method, path, status, { error: { code, message: code, details } })).toEqual([]);
    },
  );
});
