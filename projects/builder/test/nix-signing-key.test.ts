// The key step's Nix signing keys, made in Node, read the same way by the real `nix`.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { generateNixSigningKey, nixPublicKeyOf } from '../src/keys/nix-signing-key';

const nixKey = (args: string[], input: string) =>
  execFileSync('nix', ['--extra-experimental-features', 'nix-command', 'key', ...args], { input, encoding: 'utf8' });

describe('Nix signing keys made in Node', () => {
  it('have Nix’s text form, under the name given', () => {
    const key = generateNixSigningKey('pc-cache-1');
    expect(key.secret).toMatch(/^pc-cache-1:[A-Za-z0-9+/]{86}==$/);
    expect(key.public).toMatch(/^pc-cache-1:[A-Za-z0-9+/]{43}=$/);
    expect(nixPublicKeyOf(key.secret)).toBe(key.public);
  });

  it('refuse a name nix could not show, and a damaged secret key', () => {
    expect(() => generateNixSigningKey('pc cache')).toThrow('"pc cache" is not a Nix key name');
    const key = generateNixSigningKey('pc-cache-1');
    const other = generateNixSigningKey('pc-cache-1');
    const mixed = `pc-cache-1:${Buffer.concat([Buffer.from(key.secret.split(':')[1]!, 'base64').subarray(0, 32), Buffer.from(other.public.split(':')[1]!, 'base64')]).toString('base64')}`;
    expect(() => nixPublicKeyOf(mixed)).toThrow('its public half does not belong to its seed');
    expect(() => nixPublicKeyOf('pc-cache-1:c2hvcnQ=')).toThrow('a Nix secret key must be "name:<base64 of 64 bytes>"');
  });
});

describeWithTool('nix', 'Nix signing keys and the real nix', () => {
  it('give the public key `nix key convert-secret-to-public` gives, both ways', () => {
    const ours = generateNixSigningKey('pc-cache-1');
    expect(nixKey(['convert-secret-to-public'], ours.secret)).toBe(ours.public);
    const theirs = nixKey(['generate-secret', '--key-name', 'pc-cache-2'], '');
    expect(nixPublicKeyOf(theirs)).toBe(nixKey(['convert-secret-to-public'], theirs));
  });
});
