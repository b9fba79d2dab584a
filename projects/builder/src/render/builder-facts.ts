// The concrete values the builder's files need from the vault's vars: the public halves of the
// keys the key step makes (../keys/builder-keys.ts) and Oxygen's Tailscale address. A value that
// is missing is named, with what records it, instead of being guessed.
import { lookupVar, type VarsDocument } from '@personal-cloud/cluster';
import type { BuilderKeys } from '../keys/builder-keys';

export const OXYGEN_TAILSCALE_IP_VAR = 'OXYGEN.tailscale_ip';

export interface BuilderFacts {
  /** `ssh-ed25519 AAAA…` without comment. */
  hostPublicKey: string;
  clientPublicKey: string;
  /** `name:base64`. */
  cachePublicKey: string;
  oxygenTailscaleIp: string;
}

export type BuilderFactsReading = { facts: BuilderFacts; missing: [] } | { facts: null; missing: string[] };

export function readBuilderFacts(keys: BuilderKeys, vars: VarsDocument): BuilderFactsReading {
  const missing: string[] = [];
  const need = (path: string): string => {
    const value = lookupVar(vars, path);
    if (value === undefined || value === '') missing.push(`vars.${path}`);
    return String(value ?? '').trim();
  };
  const hostPublicKey = withoutComment(need(keys.sshHostKey.publicVar));
  const clientPublicKey = withoutComment(need(keys.clientKey.publicVar));
  const cachePublicKey = need(keys.cacheSigningKey.publicVar);
  const oxygenTailscaleIp = need(OXYGEN_TAILSCALE_IP_VAR);
  if (missing.length) return { facts: null, missing };
  return { facts: { hostPublicKey, clientPublicKey, cachePublicKey, oxygenTailscaleIp }, missing: [] };
}

/** An OpenSSH public key line's type and key; the comment says nothing a pinned key needs. */
function withoutComment(line: string): string {
  return line.split(/\s+/).slice(0, 2).join(' ');
}

/** One sentence naming the missing vars and what records them. */
export function missingBuilderVarsSentence(missing: readonly string[]): string {
  return `the vault's vars lack ${missing.join(', ')}: the key step records the keys' public halves, and ${`vars.${OXYGEN_TAILSCALE_IP_VAR}`} is Oxygen's address on the tailnet (\`tailscale ip -4\` on Oxygen; set it with \`npm run state -- edit vars\`).`;
}
