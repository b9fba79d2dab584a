// The critical path and the serial reference of an apply, from what the sandbox recorded: each
// action's start and end (ms), and the dependency graph the apply ran its changes along.

/** An action as the sandbox keeps it in its world: times in ms since the epoch. */
export interface SandboxAction {
  id: number;
  command: string;
  started: number;
  finished: number | null;
  resources: { id: number; type: string }[];
}

/** Actions a server's own task starts, even when they name another resource too (the volume, the network). */
const SERVER_TASK_COMMANDS = new Set([
  'create_server',
  'start_server',
  'attach_to_network',
  'attach_volume',
  'add_to_placement_group',
  'assign_primary_ip',
]);

/** Each finished action with the change it belongs to (by its owning resource); others are left out. */
export function attributeActions(actions: readonly SandboxAction[], keys: ReadonlyMap<string, string>): OwnedAction[] {
  const owned: OwnedAction[] = [];
  for (const action of actions) {
    if (action.finished === null) continue;
    const owner =
      (SERVER_TASK_COMMANDS.has(action.command) && action.resources.find((r) => r.type === 'server')) ||
      action.resources.find((r) => keys.has(`${r.type}:${r.id}`));
    const key = owner && keys.get(`${owner.type}:${owner.id}`);
    if (key)
      owned.push({ id: action.id, command: action.command, key, started: action.started, finished: action.finished });
  }
  return owned;
}

export interface OwnedAction {
  id: number;
  command: string;
  /** The change key it belongs to, e.g. `server/pc-worker-1`. */
  key: string;
  started: number;
  finished: number;
}

/**
 * The longest chain of actions that had to follow one another: an action waits for an earlier one
 * of the same change, or of a change its change depends on (directly or through changes that ran
 * no action), and only if it started after that one finished. Actions that ran side by side (a
 * server's start_server beside its create_server) are never chained.
 */
export function criticalPath(
  dependencies: ReadonlyMap<string, readonly string[]>,
  actions: readonly OwnedAction[],
): { ms: number; chain: OwnedAction[] } {
  const upstream = new Map<string, Set<string>>();
  const closure = (key: string): Set<string> => {
    let known = upstream.get(key);
    if (known) return known;
    known = new Set<string>([key]);
    upstream.set(key, known);
    for (const before of dependencies.get(key) ?? []) for (const k of closure(before)) known.add(k);
    return known;
  };
  const sorted = [...actions].sort((a, b) => a.started - b.started || a.id - b.id);
  const best = new Map<number, { ms: number; chain: OwnedAction[] }>();
  let longest = { ms: 0, chain: [] as OwnedAction[] };
  for (const action of sorted) {
    const waitsFor = closure(action.key);
    let before = { ms: 0, chain: [] as OwnedAction[] };
    for (const earlier of sorted) {
      if (earlier.started >= action.started) break;
      if (earlier.finished > action.started || !waitsFor.has(earlier.key)) continue;
      const chain = best.get(earlier.id)!;
      if (chain.ms > before.ms) before = chain;
    }
    const own = { ms: before.ms + (action.finished - action.started), chain: [...before.chain, action] };
    best.set(action.id, own);
    if (own.ms > longest.ms) longest = own;
  }
  return longest;
}

/**
 * What applying one change at a time would take: each change's distinct actions, with the time
 * they overlap counted once (an action listed under two resources counts once; start_server adds
 * only what sticks out past create_server).
 */
export function serialReference(actions: readonly OwnedAction[]): number {
  const byKey = new Map<string, [number, number][]>();
  for (const action of actions)
    byKey.set(action.key, [...(byKey.get(action.key) ?? []), [action.started, action.finished]]);
  return [...byKey.values()].reduce((sum, spans) => sum + unionLength(spans), 0);
}

function unionLength(spans: [number, number][]): number {
  const sorted = [...spans].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [from, to] of sorted) {
    if (to <= end) continue;
    total += to - Math.max(from, end);
    end = to;
  }
  return total;
}
