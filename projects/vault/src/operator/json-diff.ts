import { formatFieldPath } from '../document-validation';

/** One difference between two JSON values, at a field path. */
export type JsonChange =
  | { kind: 'added'; path: (string | number)[]; after: unknown }
  | { kind: 'removed'; path: (string | number)[]; before: unknown }
  | { kind: 'changed'; path: (string | number)[]; before: unknown; after: unknown };

/** The leaf-most differences between two JSON values, objects by key (sorted), arrays by index. */
export function diffJson(before: unknown, after: unknown, path: (string | number)[] = []): JsonChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => {
      if (!(key in after)) return [{ kind: 'removed' as const, path: [...path, key], before: before[key] }];
      if (!(key in before)) return [{ kind: 'added' as const, path: [...path, key], after: after[key] }];
      return diffJson(before[key], after[key], [...path, key]);
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const length = Math.max(before.length, after.length);
    return Array.from({ length }, (_, index) => index).flatMap((index) => {
      if (index >= after.length) return [{ kind: 'removed' as const, path: [...path, index], before: before[index] }];
      if (index >= before.length) return [{ kind: 'added' as const, path: [...path, index], after: after[index] }];
      return diffJson(before[index], after[index], [...path, index]);
    });
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ kind: 'changed', path, before, after }];
}

/** One line a change: `+ path: value`, `- path: value`, `~ path: old → new`. */
export function formatJsonDiff(changes: readonly JsonChange[]): string {
  return changes
    .map((change) => {
      const at = formatFieldPath(change.path);
      if (change.kind === 'added') return `+ ${at}: ${JSON.stringify(change.after)}`;
      if (change.kind === 'removed') return `- ${at}: ${JSON.stringify(change.before)}`;
      return `~ ${at}: ${JSON.stringify(change.before)} → ${JSON.stringify(change.after)}`;
    })
    .join('\n');
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
