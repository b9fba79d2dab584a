// Everything builder:check verifies in dist/builder/render, and which of it could run here. A
// check that cannot run is reported as skipped with the reason, never passed silently.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { findLeaks } from '@personal-cloud/vault';
import { missingBuilderVarsSentence } from '../render/builder-facts';
import { HOST_KEY_IN_CONTAINER } from '../render/container-files';
import type { K3sAgentConfig } from '../render/k3s-agent';
import type { BuilderManifest } from '../targets/render';
import { parseMachinesFile } from './machines-file';
import { nixConfProblems } from './nix-conf-check';
import { privateKeyShape } from './private-key-shapes';
import { sshdConfigProblem } from './sshd-config-test';
import { verifyUnits } from './systemd-verify';

export interface CheckReport {
  ran: string[];
  skipped: string[];
  problems: string[];
}

export interface BuilderCheckInputs {
  /** dist/builder (every file under it is scanned for keys). */
  distDir: string;
  /** dist/builder/render. */
  renderDir: string;
  manifest: BuilderManifest;
  tokens: Record<string, string>;
  /** The builder's host key as the vault's vars hold it (`ssh-ed25519 AAAA…`), when they do. */
  vaultHostKey: string | undefined;
  tools: { systemdAnalyze: boolean; sshd: string | null; unshare: boolean; root: boolean; nix: boolean };
}

/** Settings only a k3s server takes: any of them in Oxygen's config would make it one. */
const SERVER_ONLY = [
  'cluster-init',
  'datastore-endpoint',
  'etcd-expose-metrics',
  'disable-etcd',
  'tls-san',
  'cluster-cidr',
  'service-cidr',
];

export async function runBuilderChecks(inputs: BuilderCheckInputs): Promise<CheckReport> {
  const report: CheckReport = { ran: [], skipped: [], problems: [] };
  const { manifest, renderDir } = inputs;
  if (manifest.missingVars.length)
    report.problems.push(`Oxygen could not be rendered: ${missingBuilderVarsSentence(manifest.missingVars)}`);
  const has = (file: string) => manifest.files.includes(file);
  const read = (file: string) => readFileSync(join(renderDir, file), 'utf8');

  const scanned = walk(inputs.distDir).map((path) => ({
    path: relative(process.cwd(), path),
    text: readFileSync(path, 'utf8'),
  }));
  for (const file of scanned) {
    const shape = privateKeyShape(file.text);
    if (shape)
      report.problems.push(
        `${file.path} holds ${shape}: private keys reach Oxygen only as files from the vault, never through dist/`,
      );
  }
  for (const leak of findLeaks(scanned, inputs.tokens))
    report.problems.push(`the vault's tokens.${leak.token} appears in ${leak.path}: remove it and rotate the key`);
  report.ran.push(
    `no private key and no value of the vault's ${Object.keys(inputs.tokens).length} token(s) in ${scanned.length} file(s) under ${relative(process.cwd(), inputs.distDir) || inputs.distDir}`,
  );

  const units = manifest.files.filter((f) => f.startsWith('systemd/'));
  if (units.length) {
    if (!inputs.tools.systemdAnalyze)
      report.skipped.push(
        `systemd-analyze verify of ${units.join(', ')}: systemd-analyze is not on PATH (install systemd)`,
      );
    else {
      report.problems.push(
        ...(await verifyUnits(units.map((f) => ({ name: f.slice('systemd/'.length), text: read(f) })))),
      );
      report.ran.push(
        `systemd-analyze verify of ${units.length} unit(s), with stand-ins for the programs and units Oxygen provides`,
      );
    }
  }

  if (has('container/sshd_config')) {
    const why = !inputs.tools.sshd
      ? 'sshd is not installed (openssh-server)'
      : !inputs.tools.unshare
        ? 'unshare is not on PATH (util-linux)'
        : !inputs.tools.root
          ? 'it needs root, for a private mount namespace'
          : undefined;
    if (why) report.skipped.push(`sshd -t of container/sshd_config: ${why}`);
    else {
      const problem = await sshdConfigProblem(
        inputs.tools.sshd!,
        join(renderDir, 'container/sshd_config'),
        HOST_KEY_IN_CONTAINER,
      );
      if (problem) report.problems.push(`container/sshd_config: sshd -t says: ${problem}`);
      report.ran.push('sshd -t of container/sshd_config');
    }
  }

  const confs = ['container/nix.conf', 'operator/nix.conf'].filter(has);
  if (confs.length) {
    if (!inputs.tools.nix) report.skipped.push(`nix show-config of ${confs.join(', ')}: nix is not on PATH`);
    else {
      for (const conf of confs)
        for (const line of await nixConfProblems(join(renderDir, conf)))
          report.problems.push(`${conf}: nix says: ${line}`);
      report.ran.push(`nix show-config of ${confs.join(' and ')}`);
    }
  }

  if (has('operator/machines')) {
    const { lines, problems } = parseMachinesFile(read('operator/machines'));
    report.problems.push(...problems.map((p) => `operator/machines ${p}`));
    const pinned = lines[0]?.hostKey;
    if (inputs.vaultHostKey === undefined)
      report.problems.push(
        "operator/machines pins a builder host key, but the vault's vars hold none to compare it with",
      );
    else if (pinned !== inputs.vaultHostKey.split(/\s+/).slice(0, 2).join(' '))
      report.problems.push("operator/machines pins a builder host key that is not the vault's: render again");
    report.ran.push(`operator/machines: ${lines.length} machine(s), the builder's host key is the vault's`);
  }

  if (has('k3s/config.yaml')) {
    let agent: Partial<K3sAgentConfig> & Record<string, unknown> = {};
    try {
      agent = JSON.parse(read('k3s/config.yaml')) as typeof agent;
    } catch (error) {
      report.problems.push(`k3s/config.yaml is not the JSON render writes: ${(error as Error).message}`);
    }
    const server = SERVER_ONLY.filter((key) => key in agent);
    if (server.length)
      report.problems.push(
        `k3s/config.yaml sets ${server.join(', ')}, which only a k3s server takes: Oxygen is only ever an agent`,
      );
    if (!agent.server || !agent['node-ip'] || !agent['token-file'])
      report.problems.push('k3s/config.yaml lacks server, node-ip or token-file, which an agent needs to join');
    report.ran.push('k3s/config.yaml is an agent configuration');
  }

  if (has('container/Containerfile'))
    report.skipped.push(
      'building container/Containerfile: podman is not part of the check (it runs on Oxygen, and fetches its base image)',
    );
  return report;
}

function walk(dir: string): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}
