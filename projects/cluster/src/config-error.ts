import { CloudError } from './errors';

/** One thing wrong with the config: where, and what is allowed instead. */
export interface ConfigProblem {
  path: string;
  message: string;
}

/** A rejected config. The message lists every problem, one line each, each naming its field. */
export class ConfigError extends CloudError {
  override name = 'ConfigError';
  constructor(
    readonly source: string,
    readonly problems: ConfigProblem[],
  ) {
    const lines = problems.map((p) => `  ${p.path || '(root)'}: ${p.message}`);
    const [only] = problems;
    // A problem with the whole value (null, a Promise) is one sentence about the default export.
    super(
      problems.length === 1 && !only!.path
        ? `${source} is not a valid cluster description: its default export ${only!.message}.`
        : `${source} is not a valid cluster description (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`,
    );
  }
}

/** Renders a zod-style path (['pools', 1, 'labels', 'example.com/tier']) as `pools[1].labels["example.com/tier"]`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    // A key that is not a plain word (a label key with dots or slashes) is quoted so the path stays unambiguous.
    if (!/^[\w$]+$/.test(String(key))) return `${out}[${JSON.stringify(String(key))}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/** A given value as an error message shows it: `got null`, `got NaN`, `got 2.5`, `got "abc"`, `got an array`. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (Array.isArray(value)) return 'an array';
  if (isThenable(value)) return 'a Promise';
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return 'an object';
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
