// The pure parts of builder:check: reading a machines file back, and telling private keys from
// public ones by their shape.
import { describe, expect, it } from 'vitest';
import { parseMachinesFile } from '../src/check/machines-file';
import { privateKeyShape } from '../src/check/private-key-shapes';
import { generateNixSigningKey } from '../src/keys/nix-signing-key';
import { HOST_PUBLIC_KEY, renderAt } from './fixtures';

describe('reading a machines file back', () => {
  it('gives back what render wrote, with the host key decoded', () => {
    const { lines, problems } = parseMachinesFile(renderAt().files['operator/machines']!);
    expect(problems).toEqual([]);
    expect(lines).toEqual([
      {
        uri: 'ssh-ng://nix-builder@oxygen-builder',
        systems: ['x86_64-linux'],
        sshKey: '/etc/nix/personal-cloud-builder-key',
        maxJobs: 8,
        speedFactor: 4,
        supportedFeatures: ['big-parallel', 'kvm', 'nixos-test'],
        mandatoryFeatures: [],
        hostKey: HOST_PUBLIC_KEY.split(' ').slice(0, 2).join(' '),
      },
    ]);
  });

  it('names each line that is not a machine', () => {
    const text = [
      '# a comment',
      'ssh-ng://nix-builder@oxygen-builder x86_64-linux /key 8 4 - -',
      'ssh://root@oxygen x86_64-linux key 0 4 - - -',
      `ssh-ng://nix-builder@oxygen x86_64-linux /key 1 1 - - ${Buffer.from('ssh-rsa AAAA').toString('base64')}`,
    ].join('\n');
    expect(parseMachinesFile(text).problems).toEqual([
      'line 2 has 7 fields; a machine needs 8 (uri systems key jobs speed features mandatory host-key)',
      'line 3: "ssh://root@oxygen" is not ssh-ng://user@host',
      'line 3: the key "key" is not an absolute path',
      'line 3: jobs "0" and speed "4" must be positive whole numbers',
      'line 4: the host key is not the base64 of an ssh-ed25519 public key',
    ]);
  });
});

describe('private keys by their shape', () => {
  it('finds PEM and OpenSSH private key blocks and Nix secret keys', () => {
    expect(privateKeyShape('-----BEGIN OPENSSH PRIVATE KEY-----\nb3Blbn…')).toBe('a OPENSSH private key block');
    expect(privateKeyShape('x\n-----BEGIN PRIVATE KEY-----\n')).toBe('a private key block');
    expect(privateKeyShape(`secret-key-files = ${generateNixSigningKey('pc-cache-1').secret}`)).toBe(
      'the Nix secret key "pc-cache-1:…"',
    );
  });

  it('leaves public keys alone: render writes them everywhere', () => {
    const key = generateNixSigningKey('pc-cache-1');
    expect(privateKeyShape(`trusted-public-keys = ${key.public}\n${HOST_PUBLIC_KEY}\n`)).toBeUndefined();
    for (const text of Object.values(renderAt().files)) expect(privateKeyShape(text)).toBeUndefined();
  });
});
