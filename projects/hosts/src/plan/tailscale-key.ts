// Whether the operator's Tailscale key outlives the run that needs it. Tailscale makes auth keys, we
// do not, and they expire (at most 90 days after they were made); an OAuth client secret does not,
// and mints a key per node. Every install delivers the key, so a key that expires before the run's
// installs end would leave nodes off the tailnet, unreachable at the names kubeconfig uses. Pure.
import { expiryTokenOf, parseExpiry, type Tokens } from '@personal-cloud/vault';

export const TAILSCALE_AUTH_KEY = 'TAILSCALE_AUTH_KEY';
export const TAILSCALE_AUTH_KEY_EXPIRES = expiryTokenOf(TAILSCALE_AUTH_KEY);

/** How long before its expiry the plan starts to mention it. */
const SOON_MS = 14 * 24 * 3_600_000;

export interface TailscaleKeyInput {
  enabled: boolean;
  tokens: Tokens;
  now: number;
  /** How long the run is expected to take (scheduleLowerBound with real durations). */
  runMs: number;
  /** Nodes the run installs, which get the key. */
  installs: number;
}

export interface TailscaleKeyCheck {
  /** Why the run must not start, naming the expiry; null when the key will do. */
  refusal: string | null;
  /** Something the plan says anyway (an OAuth client, a key that expires soon). */
  notice: string | null;
}

const EDIT = '`npm run state -- edit tokens`';

export function checkTailscaleKey({ enabled, tokens, now, runMs, installs }: TailscaleKeyInput): TailscaleKeyCheck {
  const none = { refusal: null, notice: null };
  if (!enabled) return none;
  const key = tokens[TAILSCALE_AUTH_KEY];
  if (!key)
    return installs
      ? {
          refusal: `the vault's tokens lack ${TAILSCALE_AUTH_KEY}, which the ${installs} node(s) this run installs need to join the tailnet: add a Tailscale auth key (tskey-auth-…) and its expiry date as ${TAILSCALE_AUTH_KEY_EXPIRES}, or an OAuth client secret (tskey-client-…), which does not expire, with ${EDIT}`,
          notice: null,
        }
      : none;
  if (key.startsWith('tskey-client-'))
    return {
      refusal: null,
      notice: installs
        ? `Tailscale: ${TAILSCALE_AUTH_KEY} is an OAuth client secret, which does not expire; each install mints its own key with it.`
        : null,
    };
  const expiresText = tokens[TAILSCALE_AUTH_KEY_EXPIRES];
  const expires = expiresText === undefined ? undefined : parseExpiry(expiresText);
  if (expires === undefined)
    return installs
      ? {
          refusal: `${TAILSCALE_AUTH_KEY} is a Tailscale auth key, which expires (at most 90 days after it was made), and the vault's tokens do not say when: add ${TAILSCALE_AUTH_KEY_EXPIRES} (YYYY-MM-DD, from the admin console's Keys page) with ${EDIT}, or use an OAuth client secret (tskey-client-…), which does not expire`,
          notice: null,
        }
      : none;
  const fix = `make a new one (reusable, with the cluster's tags) and put it and its date in ${TAILSCALE_AUTH_KEY} and ${TAILSCALE_AUTH_KEY_EXPIRES} with ${EDIT}, or use an OAuth client secret (tskey-client-…), which does not expire`;
  if (installs && expires <= now)
    return {
      refusal: `the Tailscale auth key (${TAILSCALE_AUTH_KEY}) expired on ${expiresText}: ${fix}`,
      notice: null,
    };
  if (installs && expires <= now + runMs)
    return {
      refusal: `the Tailscale auth key (${TAILSCALE_AUTH_KEY}) expires on ${expiresText}, before this run's ${installs} install(s) end (about ${Math.ceil(runMs / 60_000)} min from now): ${fix}`,
      notice: null,
    };
  if (expires <= now + SOON_MS)
    return {
      refusal: null,
      notice: `Tailscale: the auth key ${expires <= now ? 'expired' : 'expires'} on ${expiresText}; ${expires <= now ? 'the next install needs a new one' : `in ${timeLeft(expires - now)}`}.`,
    };
  return none;
}

function timeLeft(ms: number): string {
  const hours = Math.floor(ms / 3_600_000);
  return hours < 48 ? `${hours} hour(s)` : `${Math.floor(hours / 24)} days`;
}
