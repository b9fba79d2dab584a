import type { DesiredPrimaryIp } from '@personal-cloud/cluster';
import * as primaryIps from '../../hcloud/resources/primary-ips';
import { labelDifference, verdict, type Kind } from '../kind';
import type { ObservedPrimaryIp } from '../observed';
import type { Difference } from '../plan-types';

export const primaryIpKind: Kind<DesiredPrimaryIp, ObservedPrimaryIp> = {
  type: 'primary_ip',
  diff(desired, observed) {
    const differences: Difference[] = [];
    if (desired.location !== observed.location)
      differences.push({ field: 'location', from: observed.location, to: desired.location });
    // Who holds it is the server's business: assigning needs that server off, so the server's change does it.
    if (observed.autoDelete) differences.push({ field: 'auto_delete', from: true, to: false });
    differences.push(...labelDifference(desired.labels, observed.labels));
    return verdict(differences, ['location']);
  },
  needs: () => [],
  holds: () => [],
  holdsData: () => undefined,
  async create(ctx, desired) {
    const { primary_ip, actions } = await primaryIps.create(ctx.client, {
      name: desired.name,
      type: 'ipv4',
      assignee_type: 'server',
      location: desired.location,
      // It must outlive its server: that is the point of a named address.
      auto_delete: false,
      labels: desired.labels,
    });
    await ctx.wait(actions);
    await ctx.settled('primary_ip', desired.name, primary_ip.id);
  },
  async update(ctx, desired, observed, differences) {
    const fields = new Set(differences.map((d) => d.field));
    if (fields.has('auto_delete') || fields.has('labels'))
      await primaryIps.update(ctx.client, observed.id, { labels: desired.labels, auto_delete: false });
    await ctx.settled('primary_ip', desired.name, observed.id);
  },
  async rename(ctx, id, name) {
    await primaryIps.update(ctx.client, id, { name });
  },
  async remove(ctx, observed) {
    if (observed.protectDelete)
      await ctx.wait(await primaryIps.changeProtection(ctx.client, observed.id, { delete: false }));
    // Look again: a server deleted earlier in this run let go of its address.
    if (observed.assignee !== null && (await primaryIps.get(ctx.client, observed.id)).assignee_id !== null)
      await ctx.wait(await primaryIps.unassign(ctx.client, observed.id));
    await primaryIps.delete(ctx.client, observed.id);
    await ctx.removed('primary_ip', observed.name);
  },
};
