// The `sort` query parameter: `field`, `field:asc` or `field:desc`, repeatable; later keys break
// ties of earlier ones and the id breaks the rest, so every listing has one stable order.
import { invalidField } from '../http/api-error';

export interface SortKey {
  field: string;
  descending: boolean;
}

export type SortValue = string | number | null;

export function parseSort(values: readonly string[], allowed: readonly string[]): SortKey[] {
  const keys: SortKey[] = [];
  for (const raw of values.flatMap((v) => v.split(','))) {
    const text = raw.trim();
    if (!text) continue;
    const [field = '', direction = 'asc', ...rest] = text.split(':');
    if (!allowed.includes(field) || rest.length > 0 || (direction !== 'asc' && direction !== 'desc'))
      throw invalidField(
        'sort',
        `"${text}" is not a valid sort; use one of ${allowed.map((f) => `${f}, ${f}:asc, ${f}:desc`).join(', ')}`,
      );
    keys.push({ field, descending: direction === 'desc' });
  }
  return keys;
}

/** Sorts a copy of `records` by `keys`, reading each field through `value`. */
export function sortRecords<R extends { id: number }>(
  records: readonly R[],
  keys: readonly SortKey[],
  value: (record: R, field: string) => SortValue,
): R[] {
  const all = [...keys, { field: 'id', descending: false }];
  return [...records].sort((a, b) => {
    for (const key of all) {
      const order = compare(
        key.field === 'id' ? a.id : value(a, key.field),
        key.field === 'id' ? b.id : value(b, key.field),
      );
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
}

function compare(a: SortValue, b: SortValue): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return String(a) < String(b) ? -1 : 1;
}
