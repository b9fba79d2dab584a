// Provision's check of the cache loop, from the operator's machine, the way a host would look a
// path up: `nix path-info --store <cache>` of a path Oxygen just added to its store. The cache
// has it: Oxygen's push loop uploaded it (the push). The cache serves it signed by the vault's
// cache key: every host would substitute it (the substitution). The push is asynchronous, so a
// missing path is asked again a few times. Nothing here throws: a cache that does not answer, or
// a push loop that is behind, is a red line of provision's summary, never a failed run.

export interface NixRun {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs `nix <args>` (nix-command enabled) and returns its exit, stdout and stderr; never throws. */
export type NixRunner = (args: string[]) => Promise<NixRun>;

export interface CacheCheckInput {
  /** The cache as hosts substitute from it, e.g. https://cache.example.org/pc. */
  cacheUrl: string;
  /** The path Oxygen added to its store for this check. */
  storePath: string;
  /** The cache key's name as signatures carry it (`<cluster>-cache-1`). */
  keyName: string;
}

export interface CacheCheckPacing {
  /** How many times a path the cache does not have yet is asked for. */
  attempts: number;
  /** Between two asks; tests pass one that returns at once. */
  pause(): Promise<void>;
}

export interface CacheLine {
  ok: boolean;
  text: string;
}

/** Nix's own retries of a download, kept short: a cache that is down is said, not waited for. */
const NIX_OPTIONS = ['--option', 'download-attempts', '2', '--option', 'connect-timeout', '5'];

export async function checkCache(
  nix: NixRunner,
  input: CacheCheckInput,
  pacing: CacheCheckPacing,
): Promise<CacheLine[]> {
  const { cacheUrl, storePath } = input;
  for (let attempt = 1; ; attempt++) {
    const run = await nix(['path-info', '--json', '--store', cacheUrl, storePath, ...NIX_OPTIONS]);
    const info = run.status === 0 ? pathInfo(run.stdout) : null;
    if (info?.valid !== false && run.status === 0) return judgeSignatures(input, info);
    const said = lastError(run.stderr);
    // `--json` says `"valid": false` for a path the store lacks; without it, nix says so on stderr.
    if (info?.valid !== false && !/is not valid|does not exist/.test(run.stderr))
      return [
        { ok: false, text: `the cache at ${cacheUrl} does not answer (${said}): no push or substitution was checked` },
      ];
    if (attempt >= pacing.attempts)
      return [
        {
          ok: false,
          text: `push: the cache at ${cacheUrl} still lacks ${storePath} after ${attempt} tries; Oxygen's push loop (attic watch-store) has not uploaded it`,
        },
        { ok: false, text: `substitution: nothing to substitute from ${cacheUrl} until the push works` },
      ];
    await pacing.pause();
  }
}

interface PathInfo {
  valid?: boolean;
  signatures?: string[];
}

function pathInfo(stdout: string): PathInfo | null {
  try {
    return (JSON.parse(stdout) as PathInfo[])[0] ?? null;
  } catch {
    return null;
  }
}

function judgeSignatures({ cacheUrl, storePath, keyName }: CacheCheckInput, info: PathInfo | null): CacheLine[] {
  const push = { ok: true, text: `push: the cache at ${cacheUrl} has ${storePath}, which Oxygen added` };
  if (!info) return [push, { ok: false, text: `substitution: nix path-info gave no JSON for ${storePath}` }];
  const names = (info.signatures ?? []).map((s) => s.split(':')[0]);
  return [
    push,
    names.includes(keyName)
      ? { ok: true, text: `substitution: the cache serves it signed by ${keyName}, which every host trusts` }
      : {
          ok: false,
          text: `substitution: the cache serves it signed by ${names.length ? names.join(', ') : 'no key'}, not ${keyName}, so hosts refuse it ("lacks a valid signature")`,
        },
  ];
}

/** Nix's last `error:` line, without nix's retry warnings. */
function lastError(stderr: string): string {
  const lines = stderr.split('\n').filter((l) => l.trim() && !l.startsWith('warning:'));
  return (lines.at(-1) ?? 'no message').replace(/^error: /, '');
}
