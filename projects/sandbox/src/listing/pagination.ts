// Hetzner's pagination: `page` and `per_page` (at most 50), `meta.pagination` in the body and an
// RFC 8288 `Link` header with prev/next/last relations.
import { invalidField } from '../http/api-error';

export const DEFAULT_PER_PAGE = 25;
export const MAX_PER_PAGE = 50;

export interface PageRequest {
  page: number;
  perPage: number;
}

export interface Pagination {
  page: number;
  per_page: number;
  previous_page: number | null;
  next_page: number | null;
  last_page: number;
  total_entries: number;
}

export interface Page<T> {
  items: T[];
  pagination: Pagination;
  /** The Link header's value, or undefined when there is nothing to link to. */
  link: string | undefined;
}

export function parsePageRequest(query: URLSearchParams): PageRequest {
  return {
    page: positiveInteger(query, 'page') ?? 1,
    perPage: Math.min(positiveInteger(query, 'per_page') ?? DEFAULT_PER_PAGE, MAX_PER_PAGE),
  };
}

function positiveInteger(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || !Number.isSafeInteger(value) || value < 1)
    throw invalidField(name, `must be a positive integer, not "${raw}"`);
  return value;
}

/** One page of `items`; `url` is the request's own URL, from which the links are made. */
export function paginate<T>(items: readonly T[], request: PageRequest, url: URL): Page<T> {
  const { page, perPage } = request;
  const total = items.length;
  const last = Math.max(1, Math.ceil(total / perPage));
  const pagination: Pagination = {
    page,
    per_page: perPage,
    previous_page: page > 1 ? Math.min(page - 1, last) : null,
    next_page: page < last ? page + 1 : null,
    last_page: last,
    total_entries: total,
  };
  const linkTo = (target: number) => {
    const link = new URL(url);
    link.searchParams.set('page', String(target));
    link.searchParams.set('per_page', String(perPage));
    return `<${link.toString()}>`;
  };
  const links: string[] = [];
  if (pagination.previous_page !== null) links.push(`${linkTo(pagination.previous_page)}; rel="prev"`);
  if (pagination.next_page !== null) links.push(`${linkTo(pagination.next_page)}; rel="next"`);
  links.push(`${linkTo(last)}; rel="last"`);
  return { items: items.slice((page - 1) * perPage, page * perPage), pagination, link: links.join(', ') };
}
