// Issue 11, defect 13: the README's real-Hetzner steps, followed as written from an empty home
// directory, with a token set and HCLOUD_ENDPOINT at a sandbox serving on an ephemeral port.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '@personal-cloud/sandbox';
import { runTargetProcess } from '../projects/infra/test/support/child-target';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const EDITOR_SCRIPT = join(ROOT, 'projects/vault/test/fixtures/editor.mjs');
const TOKEN = 'onboarding'.padEnd(64, '0');

/** The commands of the README's real-Hetzner block, comments dropped. */
async function readmeHetznerSteps(): Promise<string[]> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('**Real Hetzner.**'));
  const block = section.split('\n\n')[1]!;
  return block.split('\n').map((line) => line.replace(/\s+#.*$/, '').trim());
}

/** A valid ed25519 public key in OpenSSH's format (type, then 32 bytes of key), seeded so it never varies. */
function sshEd25519PublicKey(): string {
  const field = (bytes: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, bytes.length]), bytes]);
  const blob = Buffer.concat([field(Buffer.from('ssh-ed25519')), field(Buffer.alloc(32, 7))]);
  return `ssh-ed25519 ${blob.toString('base64')} operator@onboarding`;
}

let root: string;
let sandbox: RunningSandbox;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'hetzner-onboarding-'));
  sandbox = await startSandbox({ port: 0, dir: null, actionMs: 5, faults: '' });
});
afterEach(async () => {
  await sandbox.stop();
  await rm(root, { recursive: true, force: true });
});

function shell(
  command: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('sh', ['-c', command], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe("the README's real-Hetzner onboarding", () => {
  it('works as written from an empty home: init, edit vars, provision', { timeout: 180_000 }, async () => {
    const steps = await readmeHetznerSteps();
    expect(steps).toEqual([
      'export HCLOUD_TOKEN=…',
      'npm run state -- init',
      'npm run state -- edit vars',
      'npx nx run infra:provision',
    ]);

    const home = join(root, 'home');
    await mkdir(home);
    // The secrets repo goes to a temp dir, not the workspace's .secrets; the identity to its default under $HOME.
    const env: NodeJS.ProcessEnv = {
      PATH: process.env.PATH,
      HOME: home,
      CLOUD_SECRETS_DIR: join(root, 'secrets'),
      HCLOUD_ENDPOINT: sandbox.url,
      GIT_CONFIG_GLOBAL: join(root, 'no-gitconfig'),
      GIT_CONFIG_NOSYSTEM: '1',
    };
    const vars = { OPERATOR: { ssh_public_key: sshEd25519PublicKey(), address: '203.0.113.4/32' } };
    for (const step of steps) {
      if (step.startsWith('export HCLOUD_TOKEN=')) {
        env.HCLOUD_TOKEN = TOKEN;
      } else if (step.startsWith('npm run state')) {
        const editor = {
          EDITOR: `"${process.execPath}" "${EDITOR_SCRIPT}"`,
          EDITOR_ACTION: 'set',
          EDITOR_JSON: JSON.stringify(vars),
        };
        const run = await shell(step, { ...env, ...editor });
        expect(run.code, `${step}: ${run.stderr}`).toBe(0);
        if (step.endsWith('init')) {
          const identity = join(home, '.config/personal-cloud/age-identity.txt');
          expect(run.stdout).toMatch(
            new RegExp(
              `encrypted to age1\\w+ \\(recipients\\.txt\\)\\.\\nYour age identity \\(new\\) is ${identity}; back it up`,
            ),
          );
        }
      } else {
        expect(step).toBe('npx nx run infra:provision');
        const provision = runTargetProcess('provision', env);
        const done = await provision.done;
        expect(done.code, done.stderr).toBe(0);
      }
    }
    const servers = (await (
      await fetch(`${sandbox.url}/servers`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    ).json()) as { servers: { id: number; name: string }[] };
    expect(servers.servers.length).toBeGreaterThan(0);
    // Issue 11, defect 12: the plaintext history names no resource and no ID.
    const history = execFileSync('git', ['-C', env.CLOUD_SECRETS_DIR!, 'log', '--format=%B'], { encoding: 'utf8' });
    expect(history).toMatch(/^infra: .*\b\d+ servers? recorded/m);
    for (const server of servers.servers) expect(history).not.toContain(server.name);
    // Numbers appear only as counts: every line is one of these shapes.
    const infraPhrase = '(\\d+ [A-Za-z ]+? (recorded|deleted)|state matches the cloud)';
    const shapes = new RegExp(
      `^(Initialize the secrets repository|Edit vars by hand: [A-Za-z_.]+|infra: ${infraPhrase}(, ${infraPhrase})*)$`,
    );
    for (const line of history.split('\n').filter((text) => text !== '')) expect(line).toMatch(shapes);
    const keys = (await (
      await fetch(`${sandbox.url}/ssh_keys`, { headers: { Authorization: `Bearer ${TOKEN}` } })
    ).json()) as { ssh_keys: { public_key: string }[] };
    expect(keys.ssh_keys.map((key) => key.public_key)).toEqual([vars.OPERATOR.ssh_public_key]);
  });
});
