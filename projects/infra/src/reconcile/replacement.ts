// A replacement never leaves the cloud with less than it had when the create half fails.
// Where Hetzner's uniqueness rules allow two at once (every kind but servers), the new resource is
// created first under a temporary name, the old one deleted, and the new one renamed. A server
// cannot exist twice (its private IP, named address and volumes belong to one server), so
// everything its create needs is checked against the API before the old one is deleted.
import type { DesiredResource, ResourceType } from '@personal-cloud/cluster';
import type { ApplyContext, Kind } from './kind';
import type { Observed } from './observed';
import type { Difference } from './plan-types';

const SUFFIX = '-next';

/** The name the new half of a replacement has until the old one is gone (≤ 63 characters). */
export function temporaryName(name: string): string {
  return `${name.slice(0, 63 - SUFFIX.length)}${SUFFIX}`;
}

/**
 * Replaces `observed` with `desired`. `leftover` is the new half of a replacement that an earlier
 * run left behind (created, old not yet deleted): it is deleted first, as its spec may be stale.
 */
export async function replaceResource(
  kind: Kind,
  ctx: ApplyContext,
  desired: DesiredResource,
  observed: Observed,
  leftover?: Observed,
): Promise<void> {
  if (!kind.rename) {
    await kind.preflight?.(ctx, desired);
    await kind.remove(ctx, observed);
    await kind.create(ctx, desired);
    return;
  }
  if (leftover) await kind.remove(ctx, leftover);
  const temporary = temporaryName(desired.name);
  ctx.note(`create the new one as ${temporary}`);
  await kind.create(ctx, { ...desired, name: temporary } as DesiredResource);
  await kind.remove(ctx, observed);
  await renameTo(kind, ctx, desired.type, temporary, ctx.idOf(desired.type, temporary), desired.name);
}

/** Gives a resource its real name: what finishes a replacement, now or in a later run. */
export async function renameTo(
  kind: Kind,
  ctx: ApplyContext,
  type: ResourceType,
  from: string,
  id: number,
  to: string,
): Promise<void> {
  ctx.note(`rename ${from} to ${to}`);
  await kind.rename!(ctx, id, to);
  await ctx.removed(type, from);
  await ctx.settled(type, to, id);
}

/** An update; a `name` difference (the unfinished rename of a replacement) is made first. */
export async function updateResource(
  kind: Kind,
  ctx: ApplyContext,
  desired: DesiredResource,
  observed: Observed,
  differences: Difference[],
): Promise<void> {
  const rest = differences.filter((d) => d.field !== 'name');
  if (rest.length === differences.length) return kind.update(ctx, desired, observed, differences);
  await renameTo(kind, ctx, desired.type, observed.name, observed.id, desired.name);
  if (rest.length) await kind.update(ctx, desired, { ...observed, name: desired.name }, rest);
}
