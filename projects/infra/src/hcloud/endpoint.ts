import { CloudError } from '@personal-cloud/cluster';

/** Hetzner's own API. */
export const HETZNER_ENDPOINT = 'https://api.hetzner.cloud/v1';

/**
 * Which Hetzner API to talk to: `HCLOUD_ENDPOINT` when set (any Hetzner-compatible API, the
 * variable Hetzner's own tools honour); else Hetzner itself when `HCLOUD_TOKEN` is set; else
 * undefined, meaning the caller starts the local sandbox. The only place the two worlds differ.
 */
export function resolveEndpoint(env: Readonly<Record<string, string | undefined>> = process.env): string | undefined {
  const endpoint = env.HCLOUD_ENDPOINT?.trim();
  if (endpoint) {
    let url: URL | undefined;
    try {
      url = new URL(endpoint);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:'))
      throw new CloudError(
        `HCLOUD_ENDPOINT must be an http(s) URL such as ${HETZNER_ENDPOINT}, not "${endpoint}": fix or unset it`,
      );
    return endpoint.replace(/\/+$/, '');
  }
  if (env.HCLOUD_TOKEN?.trim()) return HETZNER_ENDPOINT;
  return undefined;
}

/** Hetzner API tokens are 64 letters and digits. */
const TOKEN_PATTERN = /^[A-Za-z0-9]{64}$/;

/**
 * The token, trimmed of the whitespace a copy from a file or a password manager tends to bring,
 * if it has the shape of a Hetzner API token; otherwise a CloudError naming HCLOUD_TOKEN. The
 * message describes the token (its length, a stray character) but never repeats it.
 */
export function validateToken(token: string | undefined): string {
  const trimmed = token?.trim() ?? '';
  if (!trimmed)
    throw new CloudError(
      'HCLOUD_TOKEN is empty: set it to a Hetzner API token (Hetzner Console → Security → API Tokens), or unset it to use the local sandbox',
    );
  if (TOKEN_PATTERN.test(trimmed)) return trimmed;
  const problem =
    trimmed.length !== 64
      ? `has ${trimmed.length} characters`
      : `contains ${JSON.stringify(trimmed.match(/[^A-Za-z0-9]/)?.[0] ?? '?')}, which is not a letter or digit`;
  throw new CloudError(
    `HCLOUD_TOKEN is not a Hetzner API token: a token is 64 letters and digits, this one ${problem}; copy it again from Hetzner Console → Security → API Tokens`,
  );
}
