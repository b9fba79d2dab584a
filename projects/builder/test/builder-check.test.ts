// builder:check on a real render: it passes, and each kind of damage is caught by the tool that
// owns the format (systemd-analyze, sshd -t, nix) or by the key scan.
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { describeNeeding, onPath } from '../../../tools/test-support/external-tools';
import { sharedNixLib } from '../src/check/oxygen-module-eval';
import { runBuilderChecks, type BuilderCheckInputs } from '../src/check/builder-checks';
import { generateNixSigningKey } from '../src/keys/nix-signing-key';
import { MANIFEST, writeRendered, type BuilderManifest } from '../src/targets/render';
import { HOST_PUBLIC_KEY, renderAt } from './fixtures';

const SSHD = '/usr/sbin/sshd';
const tools = {
  systemdAnalyze: onPath('systemd-analyze'),
  sshd: existsSync(SSHD) ? SSHD : null,
  unshare: onPath('unshare'),
  root: process.getuid?.() === 0,
  nix: onPath('nix'),
  sharedNix: onPath('nix-instantiate') ? sharedNixLib(fileURLToPath(new URL('../../..', import.meta.url))) : null,
};
const allTools =
  tools.systemdAnalyze && tools.sshd !== null && tools.unshare && tools.root && tools.nix && tools.sharedNix !== null;

const made: string[] = [];
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  made.push(dir);
  return dir;
}

async function renderedDist(rendered = renderAt()): Promise<BuilderCheckInputs> {
  const distDir = tempDir('pc-builder-dist-');
  const renderDir = join(distDir, 'render');
  await writeRendered(renderDir, rendered);
  const manifest = JSON.parse(readFileSync(join(renderDir, MANIFEST), 'utf8')) as BuilderManifest;
  return { distDir, renderDir, manifest, tokens: {}, vaultHostKey: HOST_PUBLIC_KEY, tools };
}

describeNeeding({ what: 'systemd-analyze, sshd, unshare, nix and root', available: allTools }, 'builder:check', () => {
  let inputs: BuilderCheckInputs;
  beforeEach(async () => {
    inputs = await renderedDist();
  });

  it('passes a fresh render, and says what it ran', async () => {
    const report = await runBuilderChecks(inputs);
    expect(report.problems).toEqual([]);
    expect(report.ran.join('\n')).toContain('systemd-analyze verify of 3 unit(s)');
    expect(report.ran).toContain('sshd -t of container/sshd_config');
    expect(report.ran).toContain(
      "Oxygen's NixOS module evaluates with nixos/oxygen.json (nixpkgs' lib, declared NixOS options)",
    );
    expect(report.ran).toContain('nix show-config of container/nix.conf and operator/nix.conf');
    expect(report.skipped).toEqual([
      'building container/Containerfile: podman is not part of the check (it runs on Oxygen, and fetches its base image)',
    ]);
  });

  it('finds a private key anywhere under dist/builder, by its shape or as a vault token', async () => {
    const keyFile = join(tempDir('pc-key-'), 'key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', keyFile]);
    writeFileSync(join(inputs.distDir, 'copied-by-mistake'), readFileSync(keyFile));
    appendFileSync(
      join(inputs.renderDir, 'container/nix.conf'),
      `secret-key-files = ${generateNixSigningKey('pc-cache-1').secret}\n`,
    );
    const token = 'a-token-value-that-is-long-enough';
    appendFileSync(join(inputs.renderDir, 'commands.txt'), `# ${token}\n`);
    const problems = (await runBuilderChecks({ ...inputs, tokens: { ATTIC_TOKEN_HS256_SECRET: token } })).problems.join(
      '\n',
    );
    expect(problems).toMatch(/copied-by-mistake holds a OPENSSH private key block/);
    expect(problems).toMatch(/render\/container\/nix.conf holds the Nix secret key "pc-cache-1:…"/);
    expect(problems).toMatch(/the vault's tokens.ATTIC_TOKEN_HS256_SECRET appears in .*render\/commands.txt/);
  });

  it('fails a unit systemd would warn about', async () => {
    appendFileSync(join(inputs.renderDir, 'systemd/personal-cloud-k3s-agent.service'), 'Restartt=always\n');
    expect((await runBuilderChecks(inputs)).problems).toEqual([
      "personal-cloud-k3s-agent.service:24: Unknown key 'Restartt' in section [Install], ignoring.",
    ]);
  });

  it('fails an sshd_config sshd refuses', async () => {
    appendFileSync(join(inputs.renderDir, 'container/sshd_config'), 'PermitRootLogn no\n');
    expect((await runBuilderChecks(inputs)).problems).toEqual([
      expect.stringMatching(/^container\/sshd_config: sshd -t says: .*Bad configuration option: PermitRootLogn/),
    ]);
  });

  it('fails a nix.conf setting nix does not know', async () => {
    appendFileSync(join(inputs.renderDir, 'operator/nix.conf'), 'builders-use-substitute = true\n');
    expect((await runBuilderChecks(inputs)).problems).toEqual([
      expect.stringMatching(/^operator\/nix.conf: nix says: .*unknown setting 'builders-use-substitute'/),
    ]);
  });

  it("fails a machines file whose pinned host key is not the vault's", async () => {
    const other = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOZj3QNycjVxQy9ypAZwVOL6KEhdoTk+KpsWGrUObCsn';
    expect((await runBuilderChecks({ ...inputs, vaultHostKey: other })).problems).toEqual([
      "operator/machines pins a builder host key that is not the vault's: render again",
    ]);
  });

  it("fails Oxygen's module data the option tree refuses, naming the option", async () => {
    const file = join(inputs.renderDir, 'nixos/oxygen.json');
    const data = JSON.parse(readFileSync(file, 'utf8'));
    writeFileSync(file, JSON.stringify({ ...data, agent: { ...data.agent, role: 'server' } }));
    expect((await runBuilderChecks(inputs)).problems).toEqual([
      expect.stringMatching(
        /^nixos\/oxygen\.json: Oxygen's NixOS module does not evaluate: error: A definition for option `personalCloud\.oxygen\.agent\.role' is not of type `value "agent" \(singular enum\)'/,
      ),
    ]);
  });

  it('fails agent settings that would make Oxygen a server', async () => {
    const file = join(inputs.renderDir, 'k3s/config.yaml');
    writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), 'cluster-init': true }));
    expect((await runBuilderChecks(inputs)).problems).toEqual([
      'k3s/config.yaml sets cluster-init, which only a k3s server takes: Oxygen is only ever an agent',
    ]);
  });
});

describe('builder:check without a render', () => {
  it('fails while a var is missing, naming it', async () => {
    const report = await runBuilderChecks({
      ...(await renderedDist(renderAt(4, undefined, {}))),
      tools: { ...tools, systemdAnalyze: false, nix: false },
    });
    expect(report.problems).toEqual([
      expect.stringContaining("Oxygen could not be rendered: the vault's vars lack vars.BUILDER.ssh_host_public_key"),
    ]);
  });
});
