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
const SERVER_TASK_COMMANDS = new Set(['create_server', 'start_server', 'attach_to_network', 'attach_volume', 'add_to_placement_group', 'assign_primary_ip']);

/**
 * Each change's own time: the union of the spans of the distinct actions that belong to its
 * resource, so an action listed under two resources counts once and start_server, which runs
 * beside create_server, adds only what sticks out past it. `keys` maps `type:id` to a change key.
 */
export function actionSpans(actions: readonly SandboxAction[], keys: ReadonlyMap<string, string>): Map<string, number> {
  const byKey = new Map<string, [number, number][]>();
  for (const action of actions) {
    if (action.finished === null) continue;
    const owner =
      (SERVER_TASK_COMMANDS.has(action.command) && action.resources.find((r) => r.type === 'server')) ||
      action.resources.find((r) => keys.has(`${r.type}:${r.id}`));
    const key = owner && keys.get(`${owner.type}:${owner.id}`);
    if (!key) continue;
    const list = byKey.get(key) ?? [];
    list.push([action.started, action.finished]);
    byKey.set(key, list);
  }
  return new Map([...byKey].map(([key, spans]) => [key, unionLength(spans)]));
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

/** The longest chain of changes, each waiting for the ones before it, weighted by their own time. */
export function criticalPath(dependencies: ReadonlyMap<string, readonly string[]>, own: ReadonlyMap<string, number>): { ms: number; keys: string[] } {
  const memo = new Map<string, { ms: number; keys: string[] }>();
  const longest = (key: string): { ms: number; keys: string[] } => {
    const known = memo.get(key);
    if (known) return known;
    let best = { ms: 0, keys: [] as string[] };
    for (const before of dependencies.get(key) ?? []) {
      const candidate = longest(before);
      if (candidate.ms > best.ms) best = candidate;
    }
    const result = { ms: best.ms + (own.get(key) ?? 0), keys: [...best.keys, key] };
    memo.set(key, result);
    return result;
  };
  let best = { ms: 0, keys: [] as string[] };
  for (const key of dependencies.keys()) {
    const candidate = longest(key);
    if (candidate.ms > best.ms) best = candidate;
  }
  return best;
}

/** What applying one change at a time would take: every change's own time, summed. */
export function serialReference(own: ReadonlyMap<string, number>): number {
  return [...own.values()].reduce((sum, ms) => sum + ms, 0);
}
