// One listing pipeline for every collection: filter (name, label selector, the resource's own
// filters), sort, paginate, and only then render — so a page of 50 out of thousands renders 50.
import { invalidField } from '../http/api-error';
import type { ApiRequest, ApiResult } from '../http/handler';
import { LabelSelectorError, matchesSelector, parseLabelSelector, type LabelSelector } from './label-selector';
import { paginate, parsePageRequest } from './pagination';
import { parseSort, sortRecords, type SortValue } from './sorting';

export interface ListSpec<R extends { id: number }> {
  /** The collection's key in the response body, e.g. `servers`. */
  key: string;
  records: readonly R[];
  render: (record: R) => unknown;
  /** Fields the spec allows in `sort` for this collection. */
  sortFields?: readonly string[];
  sortValue?: (record: R, field: string) => SortValue;
  /** The `name` query filter (exact match); on unless the collection has no names. */
  byName?: (record: R) => string | null;
  /** The `label_selector` query filter, for collections with labels. */
  labels?: (record: R) => Record<string, string>;
  /** The collection's own filters, each already read from the query. */
  filters?: ((record: R) => boolean)[];
}

export function listResponse<R extends { id: number }>(request: ApiRequest, spec: ListSpec<R>): ApiResult {
  const { query } = request;
  const page = parsePageRequest(query);
  const filters = [...(spec.filters ?? [])];
  const name = query.get('name');
  if (name !== null && spec.byName) {
    const byName = spec.byName;
    filters.push((r) => byName(r) === name);
  }
  const selectorText = query.get('label_selector');
  if (selectorText !== null && spec.labels) {
    const selector = labelSelectorParam(selectorText);
    const labels = spec.labels;
    filters.push((r) => matchesSelector(labels(r), selector));
  }
  const sortKeys = parseSort(query.getAll('sort'), spec.sortFields ?? ['id']);
  const matching = spec.records.filter((r) => filters.every((f) => f(r)));
  const sorted = sortRecords(
    matching,
    sortKeys,
    spec.sortValue ?? ((r, field) => (r as Record<string, unknown>)[field] as SortValue),
  );
  const result = paginate(sorted, page, request.url);
  return {
    status: 200,
    body: { [spec.key]: result.items.map(spec.render), meta: { pagination: result.pagination } },
    headers: result.link ? { Link: result.link } : undefined,
  };
}

export function labelSelectorParam(text: string): LabelSelector {
  try {
    return parseLabelSelector(text);
  } catch (error) {
    if (error instanceof LabelSelectorError) throw invalidField('label_selector', error.message);
    throw error;
  }
}

/** A repeatable enum query parameter (`status=running&status=off`) as a set; undefined when absent. */
export function enumParam<T extends string>(
  query: URLSearchParams,
  name: string,
  allowed: readonly T[],
): Set<T> | undefined {
  const values = query
    .getAll(name)
    .flatMap((v) => v.split(','))
    .filter((v) => v !== '');
  if (values.length === 0) return undefined;
  for (const value of values)
    if (!(allowed as readonly string[]).includes(value))
      throw invalidField(name, `"${value}" is not one of ${allowed.join(', ')}`);
  return new Set(values as T[]);
}
