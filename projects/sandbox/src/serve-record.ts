// `<dir>/serve.json` says which process serves a sandbox directory, so other processes reuse the
// running sandbox and a second server on the same directory is refused instead of forking the world.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';

export interface ServeRecord {
  pid: number;
  url: string;
  startedAt: string;
}

const recordPath = (dir: string) => join(dir, 'serve.json');

function readRecord(dir: string): ServeRecord | undefined {
  try {
    const record = JSON.parse(readFileSync(recordPath(dir), 'utf8')) as Partial<ServeRecord>;
    return typeof record.pid === 'number' && typeof record.url === 'string' ? (record as ServeRecord) : undefined;
  } catch {
    return undefined;
  }
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether a sandbox answers at `url` (its /__sandbox/stats endpoint), within a second. */
function answers(url: string): Promise<boolean> {
  return new Promise((resolvePromise) => {
    let target: URL;
    try {
      target = new URL('/__sandbox/stats', url);
    } catch {
      resolvePromise(false);
      return;
    }
    const req = request(
      target,
      { method: 'GET', agent: false, timeout: 1000, headers: { connection: 'close' } },
      (res) => {
        res.resume();
        resolvePromise(res.statusCode === 200);
      },
    );
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolvePromise(false));
    req.end();
  });
}

/** The serve record of a live sandbox on `dir`: its pid is alive and its port answers. */
export async function liveServeRecord(dir: string): Promise<ServeRecord | undefined> {
  const record = readRecord(dir);
  if (!record || !pidAlive(record.pid)) return undefined;
  return (await answers(record.url)) ? record : undefined;
}

/** The url of the sandbox serving `dir`, only if that process is alive and its port answers. */
export async function findRunningSandbox(dir: string): Promise<string | undefined> {
  return (await liveServeRecord(dir))?.url;
}

export function busyMessage(dir: string, record: ServeRecord): string {
  return `a sandbox is already serving ${dir}: process ${record.pid} at ${record.url}; use that one (findRunningSandbox) or stop it first`;
}

/**
 * Records this process as the server of `dir`. The file is created exclusively, so of two servers
 * starting at once only one wins. A stale record (dead pid or silent port) is replaced, but only
 * by the process that claims that very record first (a claim file named after it): a slower
 * process that also judged it stale then finds a different record there and leaves it alone.
 */
export async function claimDirectory(dir: string, url: string): Promise<() => void> {
  mkdirSync(dir, { recursive: true });
  const record: ServeRecord = { pid: process.pid, url, startedAt: new Date().toISOString() };
  const text = `${JSON.stringify(record, null, 2)}\n`;
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(recordPath(dir), text, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw error;
      const stale = readText(dir);
      const live = await liveServeRecord(dir);
      if (live) throw new Error(busyMessage(dir, live));
      if (stale !== undefined) removeStaleRecord(dir, stale);
    }
  }
  return () => {
    const current = readRecord(dir);
    if (current && current.pid === record.pid && current.url === record.url) {
      try {
        unlinkSync(recordPath(dir));
      } catch {
        // Already gone.
      }
    }
  };
}

function readText(dir: string): string | undefined {
  try {
    return readFileSync(recordPath(dir), 'utf8');
  } catch {
    return undefined;
  }
}

/** Removes the record if it still says exactly `stale` (a dead server's, or an unreadable one). */
function removeStaleRecord(dir: string, stale: string): void {
  const claim = join(dir, `serve.json.takeover-${createHash('sha256').update(stale).digest('hex').slice(0, 16)}`);
  try {
    writeFileSync(claim, String(process.pid), { flag: 'wx' });
  } catch {
    return; // Someone else is replacing this record.
  }
  try {
    // Only a claimant of this same record could have replaced it, and that is us.
    if (readText(dir) === stale) unlinkSync(recordPath(dir));
  } catch {
    // Gone already: the next attempt decides.
  } finally {
    unlinkSync(claim);
  }
}
