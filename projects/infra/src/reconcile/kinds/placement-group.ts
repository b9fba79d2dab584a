import type { DesiredPlacementGroup } from '@personal-cloud/cluster';
import * as placementGroups from '../../hcloud/resources/placement-groups';
import { labelDifference, verdict, type Kind } from '../kind';
import type { ObservedPlacementGroup } from '../observed';

export const placementGroupKind: Kind<DesiredPlacementGroup, ObservedPlacementGroup> = {
  type: 'placement_group',
  diff: (desired, observed) =>
    verdict(
      [
        ...(desired.groupType !== observed.groupType
          ? [{ field: 'type', from: observed.groupType, to: desired.groupType }]
          : []),
        ...labelDifference(desired.labels, observed.labels),
      ],
      ['type'],
    ),
  needs: () => [],
  holds: () => [],
  holdsData: () => undefined,
  async create(ctx, desired) {
    const { placement_group } = await placementGroups.create(ctx.client, {
      name: desired.name,
      type: desired.groupType,
      labels: desired.labels,
    });
    await ctx.settled('placement_group', desired.name, placement_group.id);
  },
  async update(ctx, desired, observed) {
    await placementGroups.update(ctx.client, observed.id, { labels: desired.labels });
    await ctx.settled('placement_group', desired.name, observed.id);
  },
  async rename(ctx, id, name) {
    await placementGroups.update(ctx.client, id, { name });
  },
  async remove(ctx, observed) {
    await placementGroups.delete(ctx.client, observed.id);
    await ctx.removed('placement_group', observed.name);
  },
};
