/** Labels on a Hetzner resource: `key/value` pairs; resources are found by them (principle 2). */
export type Labels = Record<string, string>;

/**
 * A label selector that matches every one of `labels` (`k1=v1,k2=v2`), keys sorted so the same
 * labels always give the same query. A string is passed through: the selector language also has
 * `!k`, `k!=v` and `k in (a,b)`.
 */
export function labelSelector(labels: Labels | string): string {
  if (typeof labels === 'string') return labels;
  return Object.keys(labels)
    .sort()
    .map((key) => `${key}=${labels[key]}`)
    .join(',');
}

/** True when `actual` holds exactly the labels in `expected`, no more and no fewer. */
export function sameLabels(actual: Labels | undefined, expected: Labels | undefined): boolean {
  const a = actual ?? {};
  const b = expected ?? {};
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}
