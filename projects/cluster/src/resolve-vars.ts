// Render turns `vars.X.y` references into concrete values, in memory only.
import { parseCidr, isIpv4 } from './ipv4';
import type { ClusterConfig } from './config-schema';
import type { ResolvedSecrets } from './desired-resources';
import { CloudError } from './errors';
import { collectVarRefs, isVarRef, lookupVar, varPath, type VarsDocument } from './vars';

/** A copy of `value` with every reference replaced; names every missing var at once. */
export function resolveVars<T>(value: T, document: VarsDocument): T {
  const missing = collectVarRefs(value).filter(({ ref }) => lookupVar(document, varPath(ref)) === undefined);
  if (missing.length)
    throw new CloudError(
      `the vault's vars document lacks ${missing.map(({ ref, at }) => `vars.${varPath(ref)} (used at ${at})`).join(', ')}: set ${missing.length === 1 ? 'it' : 'them'} with \`npm run state -- edit vars\`.`,
    );
  const walk = (node: unknown): unknown => {
    if (isVarRef(node)) return lookupVar(document, varPath(node));
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(value) as T;
}

const SSH_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$/;

/** The operator's concrete key and address, checked as strictly as if they were written in the config. */
export function resolveSecrets(config: ClusterConfig, document: VarsDocument): ResolvedSecrets {
  const operator = resolveVars(config.operator, document);
  const where = (field: 'sshPublicKey' | 'address') => {
    const raw = config.operator[field];
    return isVarRef(raw) ? `vars.${varPath(raw)}` : `operator.${field}`;
  };
  const sshPublicKey = String(operator.sshPublicKey);
  const operatorAddress = String(operator.address);
  if (!SSH_KEY.test(sshPublicKey)) throw new CloudError(`${where('sshPublicKey')} is not an OpenSSH public key (ssh-ed25519, ssh-rsa or ecdsa-sha2-*).`);
  if (!isIpv4(operatorAddress) && !parseCidr(operatorAddress, false))
    throw new CloudError(`${where('address')} is "${operatorAddress}", not an IPv4 address or CIDR.`);
  return { sshPublicKey, operatorAddress };
}
