// The world on disk: `<dir>/world.json`, replaced atomically (write a temp file, fsync it, rename it
// over the old one, fsync the directory) so a crash at any instant leaves the old or the new world,
// never half of one.
import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { WORLD_FORMAT, emptyWorld, type World } from './world';

export class WorldStore {
  readonly file: string;

  constructor(readonly dir: string) {
    this.file = join(dir, 'world.json');
  }

  load(): World {
    const text = readFileIfExists(this.file);
    if (text === undefined) return emptyWorld();
    let world: World;
    try {
      world = JSON.parse(text) as World;
    } catch {
      throw new Error(`${this.file} is not valid JSON; move it away (or delete it) to start from an empty sandbox`);
    }
    if (world?.format !== WORLD_FORMAT)
      throw new Error(
        `${this.file} is not a sandbox world of format ${WORLD_FORMAT}; move it away (or delete it) to start from an empty sandbox`,
      );
    return { ...emptyWorld(), ...world };
  }

  save(world: World): void {
    writeFileAtomically(this.file, JSON.stringify(world));
  }
}

/** The file's text, or undefined when it does not exist (a world not saved yet). */
export function readFileIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** Replaces `file` with `text` so that a crash leaves the old or the new content, never half. */
export function writeFileAtomically(file: string, text: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(temp, file);
  syncDirectory(dir);
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    // Some file systems cannot fsync a directory; the rename is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}
