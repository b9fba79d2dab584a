// `systemd-analyze verify` on rendered units, in a throwaway root: the machine's own unit
// library (so default dependencies resolve), the rendered unit, and stand-ins for what the unit
// names but Oxygen, not this machine, provides: the programs it runs and the units it requires.
// Any line systemd prints is a problem: it warns about unknown keys and still exits 0.
import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const UNIT_LIBRARY = ['/usr/lib/systemd/system', '/lib/systemd/system'];

/** Absolute programs the unit's Exec lines start. */
export function unitPrograms(unit: string): string[] {
  return [...unit.matchAll(/^Exec\w*=[-@:+!]*(\/\S+)/gm)].map((m) => m[1]!);
}

/** Units the unit requires or orders itself after that come from packages (tailscaled), not from systemd. */
export function unitDependencies(unit: string): string[] {
  return [...unit.matchAll(/^(?:Requires|Wants|After|PartOf|BindsTo)=(.*)$/gm)]
    .flatMap((m) => m[1]!.split(/\s+/))
    .filter(Boolean);
}

/** One problem line per thing systemd said, prefixed with the unit's name; none when it is clean. */
export async function verifyUnits(units: { name: string; text: string }[]): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'pc-systemd-verify-'));
  try {
    const library = UNIT_LIBRARY.find((dir) => existsSync(dir));
    const system = join(root, 'etc/systemd/system');
    mkdirSync(system, { recursive: true });
    if (library) cpSync(library, join(root, 'usr/lib/systemd/system'), { recursive: true, dereference: false });
    for (const unit of units) {
      writeFileSync(join(system, unit.name), unit.text);
      for (const program of unitPrograms(unit.text)) {
        const standIn = join(root, program);
        mkdirSync(dirname(standIn), { recursive: true });
        writeFileSync(standIn, '#!/bin/sh\n');
        chmodSync(standIn, 0o755);
      }
      for (const dependency of unitDependencies(unit.text)) {
        const inLibrary = join(root, 'usr/lib/systemd/system', dependency);
        const rendered = units.some((u) => u.name === dependency);
        if (!existsSync(inLibrary) && !rendered)
          writeFileSync(
            join(system, dependency),
            `[Unit]\nDescription=stand-in for ${dependency}\n[Service]\nExecStart=/bin/true\n`,
          );
      }
    }
    const problems: string[] = [];
    for (const unit of units) {
      const said = await run('systemd-analyze', ['verify', `--root=${root}`, unit.name]).then(
        ({ stdout, stderr }) => `${stdout}${stderr}`,
        (error: { stdout?: string; stderr?: string; message: string }) =>
          `${error.stdout ?? ''}${error.stderr ?? ''}` || error.message,
      );
      for (const line of said.split('\n').filter((l) => l.trim())) {
        const shown = line.replaceAll(`${root}/etc/systemd/system/`, '').replaceAll(root, '');
        problems.push(shown.startsWith(unit.name) ? shown : `${unit.name}: ${shown}`);
      }
    }
    return problems;
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
