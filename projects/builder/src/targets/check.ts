// builder:check — what render made, with the field's own tools; says which checks ran and which
// could not (and why).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { CloudError, lookupVar } from '@personal-cloud/cluster';
import { loadBuilderInputs } from '../builder-inputs';
import { runBuilderChecks } from '../check/builder-checks';
import { builderKeys } from '../keys/builder-keys';
import { MANIFEST, RENDER_DIR, type BuilderManifest } from './render';

export const DIST_DIR = 'dist/builder';

export async function run(): Promise<void> {
  const manifestFile = `${RENDER_DIR}/${MANIFEST}`;
  if (!existsSync(manifestFile))
    throw new CloudError(`${manifestFile} does not exist: run \`npx nx run builder:render\` first.`);
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BuilderManifest;
  const { config, vault, vars } = await loadBuilderInputs();
  const hostKey = lookupVar(vars, builderKeys(config.name).sshHostKey.publicVar);
  const report = await runBuilderChecks({
    distDir: DIST_DIR,
    renderDir: RENDER_DIR,
    manifest,
    tokens: await vault.read('tokens'),
    vaultHostKey: hostKey === undefined ? undefined : String(hostKey),
    tools: {
      systemdAnalyze: canRun('systemd-analyze', ['--version']),
      sshd: ['/usr/sbin/sshd', '/usr/bin/sshd'].find((p) => existsSync(p)) ?? null,
      unshare: canRun('unshare', ['--version']),
      root: process.getuid?.() === 0,
      nix: canRun('nix', ['--version']),
    },
  });
  for (const line of report.ran) console.log(`builder: checked ${line}.`);
  for (const line of report.skipped) console.log(`builder: skipped ${line}.`);
  if (report.problems.length)
    throw new CloudError(
      `builder:check found ${report.problems.length} problem(s):\n${report.problems.map((p) => `  ${p}`).join('\n')}`,
    );
}

function canRun(command: string, args: string[]): boolean {
  try {
    execFileSync(command, args, { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
