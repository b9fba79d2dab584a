import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConfigError, parseClusterConfig, resolveSecrets, sshPublicKeyProblem, vars } from '../src';
import { seedConfig } from './fixtures';

// Keys are encoded here from node:crypto's JWK export, independently of the parser under test.
function field(bytes: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(bytes.length);
  return Buffer.concat([length, bytes]);
}
const text = (s: string) => field(Buffer.from(s, 'latin1'));
const mpint = (unsigned: Buffer) => field(unsigned[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), unsigned]) : unsigned);
const b64 = (s: string) => Buffer.from(s, 'base64url');
const line = (type: string, ...fields: Buffer[]) =>
  `${type} ${Buffer.concat([text(type), ...fields]).toString('base64')} me@host`;

function ed25519(): string {
  const jwk = generateKeyPairSync('ed25519').publicKey.export({ format: 'jwk' });
  return line('ssh-ed25519', field(b64(jwk.x!)));
}
function rsa(bits: number): string {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' });
  return line('ssh-rsa', mpint(b64(jwk.e!)), mpint(b64(jwk.n!)));
}
function ecdsa(curve: 'P-256' | 'P-384' | 'P-521'): string {
  const jwk = generateKeyPairSync('ec', { namedCurve: curve }).publicKey.export({ format: 'jwk' });
  const name = `nistp${curve.slice(2)}`;
  return line(`ecdsa-sha2-${name}`, text(name), field(Buffer.concat([Buffer.from([4]), b64(jwk.x!), b64(jwk.y!)])));
}

describe('SSH public keys', () => {
  it('accepts every key type Hetzner takes', () => {
    for (const key of [ed25519(), rsa(2048), ecdsa('P-256'), ecdsa('P-384'), ecdsa('P-521')])
      expect(sshPublicKeyProblem(key), key).toBeUndefined();
  });

  it.each([
    ['a bare type with four letters of data', 'ssh-ed25519 AAAA', /truncated or corrupt ssh-ed25519 key/],
    ['no key data', 'ssh-ed25519', /key data after "ssh-ed25519" is missing/],
    [
      'an unsupported type',
      `ssh-dss ${Buffer.from('x').toString('base64')}`,
      /of type ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256.*got type "ssh-dss"/,
    ],
    ['data that is not base64', 'ssh-ed25519 AAAA!!!!', /not valid base64/],
    [
      'an ed25519 blob labelled as RSA',
      `ssh-rsa ${ed25519().split(' ')[1]}`,
      /corrupt ssh-rsa key: its key data names "ssh-ed25519"/,
    ],
    ['a short ed25519 key', line('ssh-ed25519', field(Buffer.alloc(31, 1))), /32-byte key, got 31 bytes/],
    [
      'an ed25519 key with trailing bytes',
      `ssh-ed25519 ${Buffer.concat([Buffer.from(ed25519().split(' ')[1]!, 'base64'), Buffer.from([0])]).toString('base64')}`,
      /32-byte key/,
    ],
    ['a 1024-bit RSA key', rsa(1024), /1024-bit RSA key; Hetzner needs at least 2048 bits/],
    [
      'an ECDSA key on the wrong curve',
      ecdsa('P-256').replace(/^ecdsa-sha2-nistp256 /, 'ecdsa-sha2-nistp384 '),
      /names "ecdsa-sha2-nistp256"/,
    ],
  ])('refuses %s', (_name, key, says) => {
    expect(sshPublicKeyProblem(key)).toMatch(says);
  });

  it('refuses a bad key in the config, naming operator.sshPublicKey, before anything else runs', () => {
    const config = seedConfig();
    config.operator.sshPublicKey = 'ssh-ed25519 AAAA';
    const error = (() => {
      try {
        parseClusterConfig(config);
      } catch (e) {
        return e as ConfigError;
      }
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error!.problems).toEqual([
      { path: 'operator.sshPublicKey', message: expect.stringMatching(/truncated or corrupt ssh-ed25519 key/) },
    ]);
  });

  it('refuses a bad key from the vault, naming vars.OPERATOR.ssh_public_key', () => {
    const config = seedConfig();
    config.operator.sshPublicKey = vars.OPERATOR.ssh_public_key;
    const parsed = parseClusterConfig(config);
    expect(() =>
      resolveSecrets(parsed, { OPERATOR: { ssh_public_key: 'ssh-ed25519 AAAA', address: '198.51.100.7' } }),
    ).toThrow(/vars\.OPERATOR\.ssh_public_key is "ssh-ed25519 AAAA", which is a truncated or corrupt ssh-ed25519 key/);
    const key = ed25519();
    expect(resolveSecrets(parsed, { OPERATOR: { ssh_public_key: key, address: '198.51.100.7' } }).sshPublicKey).toBe(
      key,
    );
  });
});
