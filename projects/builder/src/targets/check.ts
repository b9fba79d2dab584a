// builder:check — what render made, with the field's own tools; says which checks ran and which
// could not (and why).
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { CloudError, lookupVar } from '@personal-cloud/cluster';
import { loadBuilderInputs } from '../builder-inputs';
import { runBuilderChecks } from '../check/builder-checks';
import { hostsJsonKeyProblems } from '../check/hosts-json-keys';
import { OXYGEN_NIX_DIR, sharedNixLib } from '../check/oxygen-module-eval';
import { hostNix } from '../hosts/host-nix';
import { builderAlias } from '../render/builder-settings';
import { builderKeys } from '../keys/builder-keys';
import { networkPathProblems } from '../check/network-path';
import { OXYGEN_TAILSCALE_IP_VAR } from '../render/builder-facts';
import { OXYGEN_K3S } from '../render/builder-settings';
import type { K3sAgentConfig } from '../render/k3s-agent';
import { MANIFEST, RENDER_DIR, type BuilderManifest } from './render';

export const DIST_DIR = 'dist/builder';
/** What the hosts deploy (hosts:render writes it; builder:check runs after it, see project.json). */
export const HOSTS_JSON = 'dist/hosts/render/hosts.json';
const AGENT_FILE = 'k3s/config.yaml';
const AGENT_UNIT = `systemd/${OXYGEN_K3S.unit}`;
/** Oxygen's NixOS module: its k3s unit carries the same tie to tailscaled as the plain unit. */
const OXYGEN_MODULE = relative(process.cwd(), join(OXYGEN_NIX_DIR, 'modules/oxygen.nix'));

export async function run(): Promise<void> {
  const manifestFile = `${RENDER_DIR}/${MANIFEST}`;
  if (!existsSync(manifestFile))
    throw new CloudError(`${manifestFile} does not exist: run \`npx nx run builder:render\` first.`);
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BuilderManifest;
  const { config, nodes, vault, vars } = await loadBuilderInputs(process.env, 'slice');
  const keys = builderKeys(config.name);
  const hostKey = lookupVar(vars, keys.sshHostKey.publicVar);
  const cacheKey = lookupVar(vars, keys.cacheSigningKey.publicVar);
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
      sharedNix: canRun('nix-instantiate', ['--version']) ? sharedNixLib(process.cwd()) : null,
    },
  });
  if (!existsSync(HOSTS_JSON))
    report.problems.push(`${HOSTS_JSON} does not exist: run \`npx nx run hosts:render\` first.`);
  else {
    const hosts = hostsJsonKeyProblems(HOSTS_JSON, JSON.parse(await readFile(HOSTS_JSON, 'utf8')), {
      builderHost: config.oxygen ? builderAlias(config.oxygen.hostname) : '',
      vaultHostKey:
        hostKey === undefined || !hostNix(config, nodes, vars).builders.length ? undefined : String(hostKey),
      vaultCacheKey: cacheKey === undefined ? undefined : String(cacheKey),
    });
    report.ran.push(hosts.ran);
    report.problems.push(...hosts.problems);
    if (manifest.files.includes(AGENT_FILE)) {
      const path = networkPathProblems({
        agent: JSON.parse(await readFile(`${RENDER_DIR}/${AGENT_FILE}`, 'utf8')) as K3sAgentConfig,
        agentFile: `${RENDER_DIR}/${AGENT_FILE}`,
        oxygenTailscaleIp: String(lookupVar(vars, OXYGEN_TAILSCALE_IP_VAR) ?? ''),
        hosts: JSON.parse(await readFile(HOSTS_JSON, 'utf8')),
        hostsFile: HOSTS_JSON,
        agentUnit: { file: `${RENDER_DIR}/${AGENT_UNIT}`, text: await readFile(`${RENDER_DIR}/${AGENT_UNIT}`, 'utf8') },
        module: { file: OXYGEN_MODULE, text: await readFile(OXYGEN_MODULE, 'utf8') },
      });
      report.ran.push(path.ran);
      report.problems.push(...path.problems);
      report.skipped.push(
        `whether the Hetzner nodes advertise the private network to the tailnet (the subnet route Oxygen joins through): ${HOSTS_JSON} has no field for subnet routes yet`,
      );
    }
  }
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
