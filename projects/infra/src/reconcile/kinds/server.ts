import type { DesiredServer } from '@personal-cloud/cluster';
import * as primaryIps from '../../hcloud/resources/primary-ips';
import * as servers from '../../hcloud/resources/servers';
import * as volumes from '../../hcloud/resources/volumes';
import { labelDifference, verdict, type ApplyContext, type Kind } from '../kind';
import type { ObservedServer } from '../observed';
import type { Difference } from '../plan-types';
import { preflightServer } from './server-preflight';

/** Changes Hetzner makes only while the server is off: they interrupt what runs on it. */
const NEEDS_POWER_OFF = new Set(['server_type', 'placement_group', 'primary_ipv4', 'ipv6']);

/** A named address is ours; `#id` is an automatic one that Hetzner made with the server. */
const isNamed = (name: string | null) => name !== null && !name.startsWith('#');

export const serverKind: Kind<DesiredServer, ObservedServer> = {
  type: 'server',
  // The image and SSH keys matter only at creation: nixos-anywhere replaces the image's system,
  // and Hetzner puts keys in only once. Neither is changed afterwards; an image that differs is
  // reported (a notice), since a reinstall would use the new one.
  notices: (desired, observed) =>
    observed.image !== null && observed.image !== desired.image
      ? [`image ${observed.image} → ${desired.image}: image differs; takes effect on reinstall`]
      : [],
  diff(desired, observed) {
    const differences: Difference[] = [];
    if (desired.location !== observed.location)
      differences.push({ field: 'location', from: observed.location, to: desired.location });
    if (desired.serverType !== observed.serverType)
      differences.push({ field: 'server_type', from: observed.serverType, to: desired.serverType });
    const attachment = observed.networks.find((n) => n.name === desired.network.name);
    if (attachment?.ip !== desired.network.ip)
      differences.push({
        field: 'network',
        from: attachment ? `${attachment.name} ${attachment.ip}` : null,
        to: `${desired.network.name} ${desired.network.ip}`,
      });
    if ((desired.placementGroup ?? null) !== observed.placementGroup)
      differences.push({ field: 'placement_group', from: observed.placementGroup, to: desired.placementGroup ?? null });
    // Either the named address it should have, or none of ours (an automatic one is fine).
    const wantedIpv4 = desired.primaryIpv4 ?? null;
    if (wantedIpv4 ? wantedIpv4 !== observed.primaryIpv4 : isNamed(observed.primaryIpv4))
      differences.push({ field: 'primary_ipv4', from: observed.primaryIpv4, to: wantedIpv4 ?? 'automatic' });
    if (desired.ipv6 !== (observed.publicIpv6 !== null))
      differences.push({ field: 'ipv6', from: observed.publicIpv6 !== null, to: desired.ipv6 });
    if (observed.status === 'off') differences.push({ field: 'status', from: 'off', to: 'running' });
    differences.push(...labelDifference(desired.labels, observed.labels));
    return verdict(differences, ['location']);
  },
  needs: (desired, action, differences) => {
    const changes = (field: string) => action === 'create' || differences.some((d) => d.field === field);
    const needs: string[] = [];
    if (changes('network')) needs.push(`network/${desired.network.name}`);
    if (desired.placementGroup && changes('placement_group')) needs.push(`placement_group/${desired.placementGroup}`);
    if (desired.primaryIpv4 && changes('primary_ipv4')) needs.push(`primary_ip/${desired.primaryIpv4}`);
    if (action === 'create')
      needs.push(...desired.sshKeys.map((k) => `ssh_key/${k}`), ...desired.volumes.map((v) => `volume/${v}`));
    return needs;
  },
  holds: (observed) => [
    ...observed.networks.map((n) => `network/${n.name}`),
    ...(observed.placementGroup ? [`placement_group/${observed.placementGroup}`] : []),
    ...(isNamed(observed.primaryIpv4) ? [`primary_ip/${observed.primaryIpv4}`] : []),
    ...observed.volumes.map((v) => `volume/${v}`),
  ],
  holdsData: (observed) =>
    observed.volumes.length ? `server ${observed.name} has volume ${observed.volumes.join(', ')} attached` : undefined,
  disrupts: (action, differences) => action === 'replace' || differences.some((d) => NEEDS_POWER_OFF.has(d.field)),
  // No rename: the replacement needs this one's private IP, named address and volumes, so it is
  // deleted first, once the API has confirmed everything the new one's create needs.
  preflight: preflightServer,
  async create(ctx, desired) {
    const volumeIds = desired.volumes.flatMap((v) => ctx.findId('volume', v) ?? []);
    const created = await servers.create(ctx.client, {
      name: desired.name,
      server_type: desired.serverType,
      image: desired.image,
      location: desired.location,
      ssh_keys: desired.sshKeys,
      labels: desired.labels,
      start_after_create: true,
      ...(desired.placementGroup ? { placement_group: ctx.idOf('placement_group', desired.placementGroup) } : {}),
      ...(volumeIds.length ? { volumes: volumeIds, automount: false } : {}),
      public_net: {
        enable_ipv4: true,
        enable_ipv6: desired.ipv6,
        ...(desired.primaryIpv4 ? { ipv4: ctx.idOf('primary_ip', desired.primaryIpv4) } : {}),
      },
    });
    await ctx.wait(created.actions);
    // The private address is chosen, not assigned: attach after creation with the model's IP.
    // Meanwhile the volumes it took get their delete protection (they were made unprotected so
    // that protecting them would not wait in front of this server).
    ctx.note(`attach to ${desired.network.name} as ${desired.network.ip}`);
    const network = ctx.idOf('network', desired.network.name);
    await Promise.all([
      servers.attachToNetwork(ctx.client, created.server.id, { network, ip: desired.network.ip }).then(ctx.wait),
      ...volumeIds.map((id) => volumes.changeProtection(ctx.client, id, { delete: true }).then(ctx.wait)),
    ]);
    await ctx.settled('server', desired.name, created.server.id, {
      publicIpv4: created.server.public_net.ipv4?.ip ?? null,
      publicIpv6: created.server.public_net.ipv6?.ip ?? null,
      privateIp: desired.network.ip,
    });
  },
  async update(ctx, desired, observed, differences) {
    const fields = new Set(differences.map((d) => d.field));
    const offline = [...fields].some((f) => NEEDS_POWER_OFF.has(f));
    if (offline && observed.status !== 'off') {
      ctx.note('power off');
      await ctx.wait(await servers.powerOff(ctx.client, observed.id));
    }
    if (fields.has('server_type'))
      await ctx.wait(
        await servers.changeType(ctx.client, observed.id, { server_type: desired.serverType, upgrade_disk: false }),
      );
    if (fields.has('placement_group')) await movePlacementGroup(ctx, desired, observed);
    if (fields.has('primary_ipv4')) await switchIpv4(ctx, desired, observed);
    if (fields.has('ipv6')) await switchIpv6(ctx, desired, observed);
    if (fields.has('network')) {
      const network = ctx.idOf('network', desired.network.name);
      if (observed.networks.some((n) => n.name === desired.network.name))
        await ctx.wait(await servers.detachFromNetwork(ctx.client, observed.id, { network }));
      await ctx.wait(await servers.attachToNetwork(ctx.client, observed.id, { network, ip: desired.network.ip }));
    }
    if (fields.has('labels')) await servers.update(ctx.client, observed.id, { labels: desired.labels });
    if (offline || fields.has('status')) {
      ctx.note('power on');
      await ctx.wait(await servers.powerOn(ctx.client, observed.id));
    }
    // New addresses are known only to the API now: ask once rather than record stale ones.
    const addresses =
      fields.has('primary_ipv4') || fields.has('ipv6')
        ? (await servers.get(ctx.client, observed.id)).public_net
        : undefined;
    await ctx.settled('server', desired.name, observed.id, {
      publicIpv4: addresses ? (addresses.ipv4?.ip ?? null) : observed.publicIpv4,
      publicIpv6: addresses ? (addresses.ipv6?.ip ?? null) : observed.publicIpv6,
      privateIp: desired.network.ip,
    });
  },
  async remove(ctx, observed) {
    if (observed.protectDelete)
      await ctx.wait(await servers.changeProtection(ctx.client, observed.id, { delete: false, rebuild: false }));
    await ctx.wait(await servers.delete(ctx.client, observed.id));
    await ctx.removed('server', observed.name);
  },
};

async function movePlacementGroup(ctx: ApplyContext, desired: DesiredServer, observed: ObservedServer): Promise<void> {
  if (observed.placementGroup !== null) await ctx.wait(await servers.removeFromPlacementGroup(ctx.client, observed.id));
  if (desired.placementGroup)
    await ctx.wait(
      await servers.addToPlacementGroup(ctx.client, observed.id, {
        placement_group: ctx.idOf('placement_group', desired.placementGroup),
      }),
    );
}

/**
 * Lets go of the current address and takes the wanted one: the named primary IP, or a new
 * automatic one. A named address let go of is kept (it outlives servers; prune deletes it); an
 * automatic one would stay behind unassigned and billed, so it is deleted.
 */
async function releaseAddress(ctx: ApplyContext, id: number | null, name: string | null): Promise<void> {
  if (id === null) return;
  await ctx.wait(await primaryIps.unassign(ctx.client, id));
  if (!isNamed(name)) await primaryIps.delete(ctx.client, id);
}

/** A new automatic address, deleted with the server like the one Hetzner makes at creation. */
async function automaticAddress(
  ctx: ApplyContext,
  server: DesiredServer,
  observed: ObservedServer,
  type: 'ipv4' | 'ipv6',
): Promise<void> {
  const { actions } = await primaryIps.create(ctx.client, {
    name: `${server.name}-${type}-auto`,
    type,
    assignee_type: 'server',
    assignee_id: observed.id,
    auto_delete: true,
  });
  await ctx.wait(actions);
}

async function switchIpv4(ctx: ApplyContext, desired: DesiredServer, observed: ObservedServer): Promise<void> {
  await releaseAddress(ctx, observed.ipv4Id, observed.primaryIpv4);
  if (desired.primaryIpv4)
    await ctx.wait(
      await primaryIps.assign(ctx.client, ctx.idOf('primary_ip', desired.primaryIpv4), {
        assignee_id: observed.id,
        assignee_type: 'server',
      }),
    );
  else await automaticAddress(ctx, desired, observed, 'ipv4');
}

async function switchIpv6(ctx: ApplyContext, desired: DesiredServer, observed: ObservedServer): Promise<void> {
  if (desired.ipv6) await automaticAddress(ctx, desired, observed, 'ipv6');
  else await releaseAddress(ctx, observed.ipv6Id, null);
}
