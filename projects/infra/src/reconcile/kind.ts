// The contract every Hetzner resource type fulfils for the reconciler: a pure comparison, the
// resources it needs first, and the three operations that change the world.
import type { DesiredResource, ResourceType } from '@personal-cloud/cluster';
import type { HcloudClient } from '../hcloud/client';
import type { Action } from '../hcloud/resources/actions';
import type { Observed } from './observed';
import type { Difference } from './plan-types';

export type Verdict =
  | { action: 'none' }
  | { action: 'update'; differences: Difference[] }
  | { action: 'replace'; reason: string; differences: Difference[] };

/** What an operation may use: the client, IDs by name, and a way to report what now exists. */
export interface ApplyContext {
  client: HcloudClient;
  /** The ID of a resource that exists (observed, or created earlier in this run). */
  idOf(type: ResourceType, name: string): number;
  /** The ID if the resource exists, else undefined. */
  findId(type: ResourceType, name: string): number | undefined;
  /** Waits for actions (batched with every other task's waits). */
  wait(actions: Action | readonly Action[] | undefined | null): Promise<void>;
  /** Records that a resource exists now, with its ID and what the vars need of it. */
  settled(type: ResourceType, name: string, id: number, facts?: SettledFacts): Promise<void>;
  /** Records that a resource is gone. */
  removed(type: ResourceType, name: string): Promise<void>;
  /** A progress note for the resource being worked on. */
  note(text: string): void;
}

/** Concrete values a server's vars need once it exists. */
export interface SettledFacts {
  publicIpv4?: string | null;
  publicIpv6?: string | null;
  privateIp?: string;
}

export interface Kind<D extends DesiredResource = DesiredResource, O extends Observed = Observed> {
  type: D['type'];
  /** Pure: what must change to turn `observed` into `desired`; `exists` tells which other resources are there. */
  diff(desired: D, observed: O, exists: (key: string) => boolean): Verdict;
  /** Keys (`type/name`) that must exist before this one is created, or before these differences are updated. */
  needs(desired: D, action: 'create' | 'update', differences: Difference[]): string[];
  /** Keys of resources the observed one holds on to: their deletion waits for this one to change. */
  holds(observed: O): string[];
  /** Why deleting the observed resource would lose data, if it would. */
  holdsData(observed: O): string | undefined;
  /** Differences no change applies (they take effect only when the resource is made anew): shown in the plan, never executed. */
  notices?(desired: D, observed: O): string[];
  /** Whether the change interrupts what runs on the resource (a power cycle, a replacement): such changes go one at a time per role. */
  disrupts?(action: 'update' | 'replace', differences: Difference[]): boolean;
  /**
   * Gives the resource another name. Kinds that have it are replaced by creating the new one under
   * a temporary name first; the others must be deleted first, so they check the create beforehand.
   */
  rename?(ctx: ApplyContext, id: number, name: string): Promise<void>;
  /** Throws one sentence if the API would refuse to create `desired` (asked before deleting what it replaces). */
  preflight?(ctx: ApplyContext, desired: D): Promise<void>;
  create(ctx: ApplyContext, desired: D): Promise<void>;
  update(ctx: ApplyContext, desired: D, observed: O, differences: Difference[]): Promise<void>;
  remove(ctx: ApplyContext, observed: O): Promise<void>;
}

/** Compares labels exactly: ownership labels and user labels alike. */
export function labelDifference(desired: Record<string, string>, observed: Record<string, string>): Difference[] {
  const same =
    Object.keys(desired).length === Object.keys(observed).length &&
    Object.entries(desired).every(([k, v]) => observed[k] === v);
  return same ? [] : [{ field: 'labels', from: observed, to: desired }];
}

export function verdict(differences: Difference[], replaceFields: string[] = []): Verdict {
  const replacing = differences.filter((d) => replaceFields.includes(d.field));
  if (replacing.length) return { action: 'replace', reason: replacing.map(describeDifference).join('; '), differences };
  return differences.length ? { action: 'update', differences } : { action: 'none' };
}

export function describeDifference(d: Difference): string {
  const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  if (d.field === 'labels') return 'labels differ';
  return `${d.field} ${show(d.from)} → ${show(d.to)}`;
}
