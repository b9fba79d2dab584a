// The flags nixos-anywhere accepts are the `case` arms of its argument parser; a flag it does
// not know ends the install with its usage text, minutes into a run. Checked here instead.
import { CloudError } from '@personal-cloud/cluster';

export interface AcceptedFlags {
  flags: Set<string>;
  /** For flags that take one of fixed values (`--build-on auto|local|remote`), those values. */
  values: Map<string, Set<string>>;
}

const ARM = /^\s*(-{1,2}[A-Za-z0-9-]+(?:\s*\|\s*-{1,2}[A-Za-z0-9-]+)*)\)\s*$/;
const VALUE_ARM = /^\s*([A-Za-z0-9-]+(?:\s*\|\s*[A-Za-z0-9-]+)*)\)\s*$/;

/** Reads the flags from the script's parseArgs function. */
export function acceptedFlags(script: string): AcceptedFlags {
  const start = script.indexOf('parseArgs() {');
  if (start < 0)
    throw new CloudError(
      'nixos-anywhere.sh has no parseArgs function: the script changed shape, so its flags cannot be read.',
    );
  const body = script.slice(start, script.indexOf('\n}\n', start));
  const flags = new Set<string>();
  const values = new Map<string, Set<string>>();
  let current: string[] = [];
  let inner = false;
  for (const line of body.split('\n')) {
    const arm = ARM.exec(line);
    if (arm) {
      current = arm[1]!.split('|').map((f) => f.trim());
      for (const flag of current) flags.add(flag);
      inner = false;
      continue;
    }
    if (/case "\$2" in/.test(line)) inner = true;
    else if (/^\s*esac\s*$/.test(line)) inner = false;
    const value = inner ? VALUE_ARM.exec(line) : null;
    if (value)
      for (const flag of current)
        values.set(flag, new Set([...(values.get(flag) ?? []), ...value[1]!.split('|').map((v) => v.trim())]));
  }
  return { flags, values };
}

/** Every problem with a command line, as sentences; none when nixos-anywhere accepts it all. */
export function unacceptedFlags(args: readonly string[], accepted: AcceptedFlags): string[] {
  const problems: string[] = [];
  args.forEach((arg, i) => {
    if (!arg.startsWith('-')) return;
    if (!accepted.flags.has(arg)) {
      problems.push(`nixos-anywhere does not accept ${arg}`);
      return;
    }
    const allowed = accepted.values.get(arg);
    const value = args[i + 1];
    if (allowed && (value === undefined || !allowed.has(value)))
      problems.push(`nixos-anywhere's ${arg} takes ${[...allowed].join(', ')}, not ${value ?? 'nothing'}`);
  });
  return problems;
}
