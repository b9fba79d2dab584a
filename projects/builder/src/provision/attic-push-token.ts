// Oxygen's push token for the cluster's attic, and the attic client config that carries it to the
// push loop. attic's tokens are JWTs (HS256) signed with the server's `token-hs256-secret-base64`,
// which the vault holds (tokens.ATTIC_TOKEN_HS256_SECRET, made by k8s-apps' key step for the
// nix-cache app); so provision signs the token from the vault instead of asking a running attic
// (`atticadm make-token`), and the cluster's cache need not be up for Oxygen to be set up.
//
// Pure and deterministic: the same secret gives the same token, so Oxygen's generation does not
// move from run to run. The token never expires on its own; rotating the secret revokes it.
import { createHmac } from 'node:crypto';
import { CloudError } from '@personal-cloud/cluster';

/** attic's claim namespace. Permissions: r pull, w push, d delete, cc/cr/cq/cd cache administration. */
const ATTIC_CLAIMS = 'https://jwt.attic.rs/v1';
/** 2100-01-01: attic's tokens carry an expiry, and this one is revoked by rotating the secret instead. */
const NEVER = 4_102_444_800;

export interface AtticPushTokenInput {
  /** attic's token-signing secret, base64 as atticd reads it. */
  secretBase64: string;
  /** The one cache the token may push to. */
  cache: string;
  /** Who pushes, for attic's logs, e.g. `oxygen`. */
  subject: string;
}

/**
 * Pull and push on one cache, and nothing else: no delete, no cache administration. Pull is there
 * because attic's push first reads the cache's config (its signing key and upstream caches).
 */
export function atticPushToken({ secretBase64, cache, subject }: AtticPushTokenInput): string {
  const key = Buffer.from(secretBase64, 'base64');
  if (key.length < 32)
    throw new CloudError(
      `the vault's attic token secret decodes to ${key.length} bytes; attic needs at least 32 (base64): run \`npx nx run vault:keys\` after removing it, so it is made again.`,
    );
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const body = `${part({ alg: 'HS256', typ: 'JWT' })}.${part({
    sub: subject,
    exp: NEVER,
    [ATTIC_CLAIMS]: { caches: { [cache]: { r: 1, w: 1 } } },
  })}`;
  return `${body}.${createHmac('sha256', key).update(body).digest('base64url')}`;
}

/** attic's client config ($XDG_CONFIG_HOME/attic/config.toml): one server, named after the cache, with the token. */
export function atticClientConfig(server: string, endpoint: string, token: string): string {
  const quoted = (value: string) => JSON.stringify(value); // TOML's basic strings escape as JSON does for these
  return `default-server = ${quoted(server)}\n\n[servers.${quoted(server)}]\nendpoint = ${quoted(endpoint)}\ntoken = ${quoted(token)}\n`;
}
