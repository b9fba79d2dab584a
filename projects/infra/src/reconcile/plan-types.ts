// The plan: what a run will change and why. Written to dist/infra/plan.json and shown as a diff.
import type { DesiredResource, ResourceType } from '@personal-cloud/cluster';
import type { Observed } from './observed';

export type ChangeAction = 'create' | 'update' | 'delete' | 'replace';

/** One field that differs between desired and observed. */
export interface Difference {
  field: string;
  from: unknown;
  to: unknown;
}

export interface Change {
  /** `type/name`, unique in a plan. */
  key: string;
  action: ChangeAction;
  type: ResourceType;
  name: string;
  reason: string;
  differences: Difference[];
  desired?: DesiredResource;
  observed?: Observed;
  /** Set when the change deletes or replaces something that holds data: it needs --allow-destroy. */
  destroysData?: string;
  /** Set when the change interrupts what runs on the resource (a power cycle, a replacement). */
  interrupts?: boolean;
  /** For a replacement: the new half an interrupted earlier run left under its temporary name. */
  leftover?: Observed;
}

export interface Orphan {
  type: ResourceType;
  name: string;
  id: number;
}

/** A difference the plan reports but no run applies, e.g. an image that matters only at (re)installation. */
export interface Notice {
  key: string;
  type: ResourceType;
  name: string;
  text: string;
}

export interface Plan {
  changes: Change[];
  /** Ours by label but not desired: reported, and deleted only with --prune or by destroy. */
  orphans: Orphan[];
  /** Informational: provision leaves these alone. */
  notices: Notice[];
}

export interface PlanSummary {
  create: number;
  update: number;
  delete: number;
  replace: number;
}

export function summarize(plan: Plan): PlanSummary {
  const summary: PlanSummary = { create: 0, update: 0, delete: 0, replace: 0 };
  for (const change of plan.changes) summary[change.action] += 1;
  return summary;
}

/** The plan.json document: the shape, plus the orphans a reader should know about. */
export function planDocument(plan: Plan) {
  return {
    changes: plan.changes.map(({ action, type, name, reason }) => ({ action, type, name, reason })),
    summary: summarize(plan),
    orphans: plan.orphans,
    notices: plan.notices.map(({ type, name, text }) => ({ type, name, text })),
  };
}
