import { containsCidr, parseCidr, type DesiredNetwork } from '@personal-cloud/cluster';
import * as networks from '../../hcloud/resources/networks';
import { labelDifference, verdict, type Kind } from '../kind';
import type { ObservedNetwork } from '../observed';
import type { Difference } from '../plan-types';

const subnetKey = (s: { ipRange: string; zone: string }) => `${s.ipRange}@${s.zone}`;

export const networkKind: Kind<DesiredNetwork, ObservedNetwork> = {
  type: 'network',
  diff(desired, observed) {
    const differences: Difference[] = [];
    if (desired.ipRange !== observed.ipRange)
      differences.push({ field: 'ip_range', from: observed.ipRange, to: desired.ipRange });
    const want = desired.subnets.map(subnetKey).sort();
    const have = observed.subnets.map(subnetKey).sort();
    if (want.join() !== have.join()) differences.push({ field: 'subnets', from: have, to: want });
    differences.push(...labelDifference(desired.labels, observed.labels));
    // A network can only grow in place (change_ip_range); anything else means a new network.
    const grows = containsCidr(parseCidr(desired.ipRange)!, parseCidr(observed.ipRange)!);
    return verdict(differences, grows ? [] : ['ip_range']);
  },
  needs: () => [],
  holds: () => [],
  holdsData: () => undefined,
  async create(ctx, desired) {
    const network = await networks.create(ctx.client, {
      name: desired.name,
      ip_range: desired.ipRange,
      labels: desired.labels,
      subnets: desired.subnets.map((s) => ({ type: 'cloud', ip_range: s.ipRange, network_zone: s.zone })),
    });
    await ctx.settled('network', desired.name, network.id);
  },
  async update(ctx, desired, observed, differences) {
    const fields = new Set(differences.map((d) => d.field));
    if (fields.has('ip_range'))
      await ctx.wait(await networks.changeIpRange(ctx.client, observed.id, { ip_range: desired.ipRange }));
    if (fields.has('subnets')) {
      const have = new Set(observed.subnets.map(subnetKey));
      const want = new Set(desired.subnets.map(subnetKey));
      for (const s of observed.subnets.filter((s) => !want.has(subnetKey(s)))) {
        ctx.note(`delete subnet ${s.ipRange}`);
        await ctx.wait(await networks.deleteSubnet(ctx.client, observed.id, { ip_range: s.ipRange }));
      }
      for (const s of desired.subnets.filter((s) => !have.has(subnetKey(s)))) {
        ctx.note(`add subnet ${s.ipRange}`);
        await ctx.wait(
          await networks.addSubnet(ctx.client, observed.id, {
            type: 'cloud',
            ip_range: s.ipRange,
            network_zone: s.zone,
          }),
        );
      }
    }
    if (fields.has('labels')) await networks.update(ctx.client, observed.id, { labels: desired.labels });
    await ctx.settled('network', desired.name, observed.id);
  },
  async rename(ctx, id, name) {
    await networks.update(ctx.client, id, { name });
  },
  async remove(ctx, observed) {
    if (observed.protectDelete)
      await ctx.wait(await networks.changeProtection(ctx.client, observed.id, { delete: false }));
    await networks.delete(ctx.client, observed.id);
    await ctx.removed('network', observed.name);
  },
};
