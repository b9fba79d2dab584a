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
    super(`${source} is not a valid cluster description (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`);
  }
}

/** Renders a zod-style path (['pools', 1, 'serverType']) as `pools[1].serverType`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}
