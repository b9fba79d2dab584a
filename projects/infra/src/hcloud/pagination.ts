import { HcloudError } from './errors';
import { labelSelector, type Labels } from './labels';

/** A query string as an object: arrays become repeated parameters (`id=1&id=2`); undefined and null are left out. */
export type QueryValue = string | number | boolean | null | undefined | ReadonlyArray<string | number>;
export type Query = Readonly<Record<string, QueryValue>>;

/** The most a page may hold (the API's maximum): fewer pages, fewer requests. */
export const PER_PAGE = 50;

/** The `meta.pagination` of a list answer. */
export interface Pagination {
  page: number;
  per_page: number;
  previous_page: number | null;
  next_page: number | null;
  last_page: number | null;
  total_entries: number | null;
}

/** What every resource's `list` filters by: its labels (one list per resource type), or an exact name. */
export interface ListFilter {
  /** `{ cluster: 'prod' }` matches all those labels; a string is a raw label selector. */
  labelSelector?: Labels | string;
  name?: string;
}

export function listQuery(filter: ListFilter = {}): Record<string, QueryValue> {
  return {
    label_selector: filter.labelSelector === undefined ? undefined : labelSelector(filter.labelSelector),
    name: filter.name,
  };
}

/** Sends one GET with the given query and returns the parsed answer. */
export type PageFetcher = (query: Query) => Promise<unknown>;

/**
 * Every item of a list, page by page: asks for `per_page=50` and follows `meta.pagination.next_page`
 * until it is null. `key` is the answer's list (`servers`, `ssh_keys`, …).
 */
export async function* paginate<T>(
  fetchPage: PageFetcher,
  path: string,
  key: string,
  query: Query = {},
): AsyncGenerator<T, void, undefined> {
  let page = 1;
  for (;;) {
    const answer = (await fetchPage({ ...query, page, per_page: PER_PAGE })) as
      | (Record<string, unknown> & { meta?: { pagination?: Partial<Pagination> } })
      | undefined;
    const items = answer?.[key];
    if (!Array.isArray(items)) throw malformed(path, `the answer has no "${key}" list`);
    yield* items as T[];
    const next = answer?.meta?.pagination?.next_page;
    if (next === null || next === undefined) return;
    // A next page that does not move forward would loop forever, each turn a request.
    if (typeof next !== 'number' || next <= page)
      throw malformed(path, `page ${page} names ${String(next)} as the next page`);
    page = next;
  }
}

function malformed(path: string, why: string): HcloudError {
  return new HcloudError({ code: 'invalid_response', apiMessage: why, method: 'GET', path });
}
