import type { DesiredFirewall, HetznerFirewallRule } from '@personal-cloud/cluster';
import * as firewalls from '../../hcloud/resources/firewalls';
import { labelDifference, verdict, type Kind } from '../kind';
import type { ObservedFirewall } from '../observed';
import type { Difference } from '../plan-types';

/** Rules compare as a set: order does not matter to Hetzner, address order neither. */
const canonical = (rules: HetznerFirewallRule[]) =>
  rules
    .map((r) =>
      JSON.stringify([
        r.direction,
        r.protocol,
        r.port ?? '',
        [...(r.source_ips ?? [])].sort(),
        [...(r.destination_ips ?? [])].sort(),
        r.description,
      ]),
    )
    .sort();

const selectorTarget = (selector: string) => ({ type: 'label_selector' as const, label_selector: { selector } });

export const firewallKind: Kind<DesiredFirewall, ObservedFirewall> = {
  type: 'firewall',
  diff(desired, observed) {
    const differences: Difference[] = [];
    if (canonical(desired.rules).join('\n') !== canonical(observed.rules).join('\n'))
      differences.push({ field: 'rules', from: observed.rules.length, to: desired.rules.length });
    if (
      observed.labelSelectors.length !== 1 ||
      observed.labelSelectors[0] !== desired.labelSelector ||
      observed.servers.length
    )
      differences.push({ field: 'applied_to', from: observed.labelSelectors, to: [desired.labelSelector] });
    differences.push(...labelDifference(desired.labels, observed.labels));
    return verdict(differences);
  },
  needs: () => [],
  holds: () => [],
  holdsData: () => undefined,
  async create(ctx, desired) {
    const { firewall, actions } = await firewalls.create(ctx.client, {
      name: desired.name,
      labels: desired.labels,
      rules: desired.rules,
      apply_to: [selectorTarget(desired.labelSelector)],
    });
    await ctx.wait(actions);
    await ctx.settled('firewall', desired.name, firewall.id);
  },
  async update(ctx, desired, observed, differences) {
    const fields = new Set(differences.map((d) => d.field));
    if (fields.has('rules')) await ctx.wait(await firewalls.setRules(ctx.client, observed.id, desired.rules));
    if (fields.has('applied_to')) {
      const stale = [
        ...observed.labelSelectors.filter((s) => s !== desired.labelSelector).map(selectorTarget),
        ...observed.servers.map((id) => ({ type: 'server' as const, server: { id } })),
      ];
      if (stale.length) await ctx.wait(await firewalls.removeFromResources(ctx.client, observed.id, stale));
      if (!observed.labelSelectors.includes(desired.labelSelector))
        await ctx.wait(
          await firewalls.applyToResources(ctx.client, observed.id, [selectorTarget(desired.labelSelector)]),
        );
    }
    if (fields.has('labels')) await firewalls.update(ctx.client, observed.id, { labels: desired.labels });
    await ctx.settled('firewall', desired.name, observed.id);
  },
  async remove(ctx, observed) {
    // Hetzner refuses to delete a firewall that is still applied (resource_in_use).
    const applied = [
      ...observed.labelSelectors.map(selectorTarget),
      ...observed.servers.map((id) => ({ type: 'server' as const, server: { id } })),
    ];
    if (applied.length) await ctx.wait(await firewalls.removeFromResources(ctx.client, observed.id, applied));
    await firewalls.delete(ctx.client, observed.id);
    await ctx.removed('firewall', observed.name);
  },
};
