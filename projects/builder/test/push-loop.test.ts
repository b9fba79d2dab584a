// The push loop's part of Oxygen's deployment: the push token signed from the vault's attic secret
// (pull and push on the cluster's cache only), attic's client config carrying it as a file of mode
// 0600 outside the store and dist/, and the sibling unit started after the builder's.
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { generateOpenSshKeyPair } from '@personal-cloud/vault';
import { atticClientConfig, atticPushToken } from '../src/provision/attic-push-token';
import { oxygenDeployment } from '../src/provision/oxygen-deployment';
import { renderAt } from './fixtures';

const SECRET = Buffer.alloc(64, 7).toString('base64');
const TOKENS = {
  BUILDER_SSH_HOST_KEY: generateOpenSshKeyPair('pc-builder').privateKey,
  K3S_TOKEN: 'a-k3s-token',
  ATTIC_TOKEN_HS256_SECRET: SECRET,
};

function deploy(tokens: Record<string, string> = TOKENS) {
  const { files } = renderAt();
  return oxygenDeployment({
    cluster: 'pc',
    rendered: files,
    tokens,
    builder: { cpus: 6, memoryGb: 16 },
    k3sTokenName: 'K3S_TOKEN',
    cacheUrl: 'https://cache.example.org/pc',
    hostname: 'oxygen',
    nixos: null,
  });
}

describe("Oxygen's push token", () => {
  it('is an HS256 JWT signed with the decoded secret, for pull and push on the one cache, stable across runs', () => {
    const token = atticPushToken({ secretBase64: SECRET, cache: 'pc', subject: 'oxygen' });
    const [header, claims, signature] = token.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'HS256', typ: 'JWT' });
    expect(JSON.parse(Buffer.from(claims!, 'base64url').toString())).toEqual({
      sub: 'oxygen',
      exp: 4_102_444_800,
      'https://jwt.attic.rs/v1': { caches: { pc: { r: 1, w: 1 } } },
    });
    const expected = createHmac('sha256', Buffer.from(SECRET, 'base64')).update(`${header}.${claims}`);
    expect(signature).toBe(expected.digest('base64url'));
    expect(atticPushToken({ secretBase64: SECRET, cache: 'pc', subject: 'oxygen' })).toBe(token);
    const otherSecret = Buffer.alloc(64, 8).toString('base64');
    expect(atticPushToken({ secretBase64: otherSecret, cache: 'pc', subject: 'oxygen' })).not.toBe(token);
  });

  it('refuses a secret too short to sign with', () => {
    expect(() => atticPushToken({ secretBase64: 'c2hvcnQ=', cache: 'pc', subject: 'oxygen' })).toThrow(
      "the vault's attic token secret decodes to 5 bytes; attic needs at least 32 (base64)",
    );
  });
});

describe("the push loop in Oxygen's deployment", () => {
  it('writes attic’s config with the token as a 0600 file in the keys folder, and starts the push unit after the builder', () => {
    const deployment = deploy();
    const config = deployment.files.find((f) => f.path === '/var/lib/personal-cloud/builder/keys/attic/config.toml')!;
    const token = atticPushToken({ secretBase64: SECRET, cache: 'pc', subject: 'oxygen' });
    expect(config).toEqual({
      path: '/var/lib/personal-cloud/builder/keys/attic/config.toml',
      content: atticClientConfig('pc', 'https://cache.example.org/', token),
      mode: 0o600,
    });
    expect(config.content).toBe(
      `default-server = "pc"\n\n[servers."pc"]\nendpoint = "https://cache.example.org/"\ntoken = "${token}"\n`,
    );
    expect(deployment.files.map((f) => f.path)).toContain('/etc/systemd/system/personal-cloud-builder-push.service');
    expect(deployment.commands).toEqual([
      'podman build --tag localhost/personal-cloud-builder:1 /etc/personal-cloud/builder/image',
      'systemctl daemon-reload',
      'systemctl enable personal-cloud-builder.service personal-cloud-builder-push.service',
      'systemctl restart personal-cloud-builder.service',
      'systemctl restart personal-cloud-builder-push.service',
      'systemctl enable personal-cloud-k3s-agent.service',
      'systemctl restart personal-cloud-k3s-agent.service',
    ]);
    // The token is in the deployment's files only: render (dist/) never had it.
    expect(Object.values(renderAt().files).join('\n')).not.toContain(token.split('.')[2]);
  });

  it('names the missing attic secret in one sentence', () => {
    const { ATTIC_TOKEN_HS256_SECRET: _, ...without } = TOKENS;
    expect(() => deploy(without)).toThrow(
      "the vault's tokens lack ATTIC_TOKEN_HS256_SECRET (attic's token-signing secret, which signs Oxygen's push token); run `npx nx run vault:keys`, which makes it, then provision again.",
    );
  });
});
