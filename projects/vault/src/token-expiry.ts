// When a token expires, as the operator records it: a token `<NAME>_EXPIRES` beside `<NAME>`
// (e.g. TAILSCALE_AUTH_KEY_EXPIRES), entered with `npm run state -- edit tokens`. A date is not a
// secret: it is never looked for as a leak.

export const EXPIRY_SUFFIX = '_EXPIRES';

/** The token that holds when `token` expires. */
export const expiryTokenOf = (token: string): string => `${token}${EXPIRY_SUFFIX}`;

export const isExpiryToken = (name: string): boolean => name.endsWith(EXPIRY_SUFFIX);

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * The instant an expiry names, in ms since the epoch, or undefined when it is not one. A bare date
 * counts from its first moment in UTC: the safe side, since a key's own expiry is later that day.
 */
export function parseExpiry(text: string): number | undefined {
  const value = text.trim();
  if (!DATE.test(value) && !DATE_TIME.test(value)) return undefined;
  if (!validDay(value.slice(0, 10))) return undefined;
  const ms = Date.parse(DATE.test(value) ? `${value}T00:00:00Z` : value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** 2027-02-30 is no day (Date.parse would take it as March 2nd). */
function validDay(day: string): boolean {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** What the tokens schema says of a malformed expiry. */
export const EXPIRY_FORMAT_MESSAGE =
  'must be the date the token expires, as YYYY-MM-DD (UTC) or an ISO 8601 time with its zone, e.g. 2027-03-01 or 2027-03-01T12:00:00Z';
