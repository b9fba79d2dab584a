// hosts:check's report: which checks ran, which were skipped and why, and leaks of the vault's
// tokens named by token and file, never shown.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateOpenSshKeyPair } from '@personal-cloud/vault';
import { describeNeeding } from '../../../tools/test-support/external-tools';
import { runHostsChecks, type CheckInputs } from '../src/check/hosts-checks';
import { findLeaks, secretNeedles } from '@personal-cloud/vault';
import { renderAt, writeHostsJson } from './fixtures';
import { NIX_DIR, NIX_NEEDS, SHARED } from './support';

const K3S_TOKEN = 'K10f3a9c2e7b14d8a6c5e2f1b0a9d8c7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0::server:5d4c3b2a1f0e';
const HOST_KEY = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACDx3pQ8Tq1cUuQm7n0a8cV1Wf2m9cEw3pZl0GnqO8K0YwAAAJg0GQb1NBkG',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');

describe('finding the vault’s tokens', () => {
  it('looks for whole values and for each long line of a key, and skips values too short to be secret', () => {
    const needles = secretNeedles({ K3S_TOKEN, HOST_KEY, PIN: '1234' });
    expect(needles.filter((n) => n.token === 'HOST_KEY').map((n) => n.needle)).toEqual([
      HOST_KEY,
      HOST_KEY.split('\n')[1],
      HOST_KEY.split('\n')[2],
    ]);
    expect(needles.some((n) => n.token === 'PIN')).toBe(false);
  });

  it('counts only the lines of a real OpenSSH key that carry its private half: the header every such key shares is no leak', () => {
    const key = generateOpenSshKeyPair('test').privateKey;
    const body = key.trim().split('\n').slice(1, -1);
    const needles = secretNeedles({ SSH_HOST_KEY_MASTER_1: key }).map((n) => n.needle);
    expect(needles).not.toContain(body[0]);
    expect(needles.length).toBeGreaterThan(1);
    expect(findLeaks([{ path: 'doc.md', text: body.slice(0, 2).join('\n') }], { SSH_HOST_KEY_MASTER_1: key })).toEqual(
      [],
    );
    const kubeconfig =
      'apiVersion: v1\nkind: Config\ncurrent-context: default\nusers:\n- user: { client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUxr }\n';
    expect(secretNeedles({ KUBECONFIG: kubeconfig }).map((n) => n.needle)).toEqual([
      kubeconfig.trim(),
      '- user: { client-key-data: LS0tLS1CRUdJTiBFQyBQUklWQVRFIEtFWS0tLS0tCk1IY0NBUUVFSUxr }',
    ]);
    const secretLine = needles.find((n) => n !== key)!;
    expect(findLeaks([{ path: 'x.nix', text: secretLine }], { SSH_HOST_KEY_MASTER_1: key })).toEqual([
      { token: 'SSH_HOST_KEY_MASTER_1', path: 'x.nix' },
    ]);
  });

  it('finds a key copied with other line breaks, by the token’s name', () => {
    const files = [
      { path: 'a.nix', text: `{ key = "${HOST_KEY.split('\n')[2]}"; }` },
      { path: 'b.md', text: 'nothing here' },
    ];
    expect(findLeaks(files, { K3S_TOKEN, HOST_KEY })).toEqual([{ token: 'HOST_KEY', path: 'a.nix' }]);
  });
});

/** A git work tree with one tracked file and a dist/ folder, as a workspace would have. */
function workspaceWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'pc-hosts-check-'));
  execFileSync('git', ['init', '-q'], { cwd: dir });
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(dir, path, '..'), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  execFileSync('git', ['add', '.'], { cwd: dir });
  return dir;
}

function inputs(workspace: string, extra: Partial<CheckInputs> = {}): CheckInputs {
  const document = renderAt(4);
  return {
    workspace,
    nixDir: NIX_DIR,
    hostsFile: writeHostsJson(document),
    document,
    tokens: { K3S_TOKEN, HOST_KEY },
    sharedLooked: '/nowhere/shared/nix',
    nixInstantiate: false,
    ...extra,
  };
}

describe('hosts:check without Nix', () => {
  it('says what it skipped and why, and still scans for tokens', async () => {
    const report = await runHostsChecks(inputs(workspaceWith({ 'README.md': 'hello\n' })));
    expect(report.problems).toEqual([]);
    expect(report.skipped).toEqual([
      'nix-instantiate --parse and the module evaluation: nix-instantiate is not on PATH (install Nix)',
      "the evaluation with nixpkgs' lib and disko's types, and the nixos-anywhere flags: /nowhere/shared/nix is absent (set CLOUD_SHARED_NIX to its folder)",
    ]);
    expect(report.ran).toEqual([
      expect.stringMatching(/^the flake reads no dist\/ path and nothing outside its folder \(\d+ \.nix files\)$/),
      expect.stringMatching(
        /^no value of the vault's 2 token\(s\) in \d+ files \(\.nix files, dist\/ and git-tracked files\)$/,
      ),
    ]);
  });

  it('reports a node not rendered yet as skipped, naming what it lacks, and leaves it to provision', async () => {
    const document = {
      ...renderAt(4),
      pending: [{ node: 'worker-5', missingVars: ['vars.CLUSTER.WORKER_5.hetzner_id'] }],
    };
    const report = await runHostsChecks(inputs(workspaceWith({}), { document }));
    expect(report.problems).toEqual([]);
    expect(report.skipped).toContain(
      'worker-5: not rendered yet, since infra has not recorded their servers (1 vars missing); hosts:provision checks them once they exist, before it deploys anything',
    );
  });

  it('names a token found in a tracked file or in dist/, without showing it', async () => {
    const workspace = workspaceWith({ 'docs/notes.md': `token: ${K3S_TOKEN}\n` });
    mkdirSync(join(workspace, 'dist/hosts/render'), { recursive: true });
    writeFileSync(join(workspace, 'dist/hosts/render/hosts.json'), JSON.stringify({ key: HOST_KEY }));
    const report = await runHostsChecks(inputs(workspace));
    expect(report.problems).toEqual([
      "the vault's tokens.HOST_KEY appears in dist/hosts/render/hosts.json: remove it and rotate the token",
      "the vault's tokens.K3S_TOKEN appears in docs/notes.md: remove it and rotate the token",
    ]);
    expect(report.problems.join('\n')).not.toContain(K3S_TOKEN);
  });
});

describeNeeding(NIX_NEEDS, 'hosts:check with Nix and ../shared/nix', () => {
  it('runs every check on a good render and finds nothing', async () => {
    const report = await runHostsChecks(
      inputs(workspaceWith({ 'README.md': 'hello\n' }), { shared: SHARED, nixInstantiate: true }),
    );
    expect(report.problems).toEqual([]);
    expect(report.skipped).toEqual([]);
    expect(report.ran).toHaveLength(5);
    expect(report.ran).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^lib\.evalModules of 8 node\(s\)/),
        expect.stringMatching(/^the nixos-anywhere flags against/),
      ]),
    );
  });

  it('names the node whose layout is wrong', async () => {
    const document = renderAt(4);
    document.nodes['worker-4']!.disks.root = '/dev/sdb';
    const report = await runHostsChecks(
      inputs(workspaceWith({}), {
        document,
        hostsFile: writeHostsJson(document),
        shared: SHARED,
        nixInstantiate: true,
      }),
    );
    expect(report.problems).toEqual([
      expect.stringMatching(
        /^node worker-4 does not evaluate: A definition for option `personalCloud\.node\.disks\.root'/,
      ),
    ]);
  });
});
