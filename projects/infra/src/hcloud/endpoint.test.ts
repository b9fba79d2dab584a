import { CloudError } from '@personal-cloud/cluster';
import { describe, expect, it } from 'vitest';
import { HETZNER_ENDPOINT, resolveEndpoint, validateToken } from './endpoint';

const token = 'LRK9DAWQ1ZAEFSrCNEEzLCUwhYX1U3g7wMg4dTlkkDC96fyDuyJ39nVbVjCKSDfj';

describe('resolveEndpoint', () => {
  it('prefers HCLOUD_ENDPOINT, without a trailing slash', () => {
    expect(resolveEndpoint({ HCLOUD_ENDPOINT: 'http://127.0.0.1:4000/v1/', HCLOUD_TOKEN: token })).toBe(
      'http://127.0.0.1:4000/v1',
    );
    expect(resolveEndpoint({ HCLOUD_ENDPOINT: 'http://127.0.0.1:4000/v1' })).toBe('http://127.0.0.1:4000/v1');
  });

  it('is Hetzner when only HCLOUD_TOKEN is set', () => {
    expect(resolveEndpoint({ HCLOUD_TOKEN: token })).toBe(HETZNER_ENDPOINT);
    expect(HETZNER_ENDPOINT).toBe('https://api.hetzner.cloud/v1');
  });

  it('is undefined (start the sandbox) when neither is set, or both are blank', () => {
    expect(resolveEndpoint({})).toBeUndefined();
    expect(resolveEndpoint({ HCLOUD_ENDPOINT: '', HCLOUD_TOKEN: '  ' })).toBeUndefined();
  });

  it('rejects an HCLOUD_ENDPOINT that is not an http(s) URL, naming the variable', () => {
    expect(() => resolveEndpoint({ HCLOUD_ENDPOINT: 'api.hetzner.cloud' })).toThrow(CloudError);
    expect(() => resolveEndpoint({ HCLOUD_ENDPOINT: 'ftp://x/v1' })).toThrow(
      /^HCLOUD_ENDPOINT must be an http\(s\) URL/,
    );
  });
});

describe('validateToken', () => {
  it('accepts a 64-character token, trimming a copied newline', () => {
    expect(validateToken(token)).toBe(token);
    expect(validateToken(`${token}\n`)).toBe(token);
  });

  it('rejects a wrong length with a CloudError that names HCLOUD_TOKEN but not the token', () => {
    const short = token.slice(0, 63);
    expect(() => validateToken(short)).toThrow(CloudError);
    expect(() => validateToken(short)).toThrow(
      'HCLOUD_TOKEN is not a Hetzner API token: a token is 64 letters and digits, this one has 63 characters; copy it again from Hetzner Console → Security → API Tokens',
    );
    try {
      validateToken(short);
    } catch (error) {
      expect((error as Error).message).not.toContain(short);
    }
  });

  it('rejects a stray character and an empty token', () => {
    expect(() => validateToken(`${token.slice(0, 63)};`)).toThrow(/contains ";", which is not a letter or digit/);
    expect(() => validateToken('')).toThrow(/^HCLOUD_TOKEN is empty/);
    expect(() => validateToken(undefined)).toThrow(/^HCLOUD_TOKEN is empty/);
  });
});
