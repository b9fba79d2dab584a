// Render turns `vars.X.y` references into concrete values, in memory only.
import type { z } from 'zod';
import { ipv4AddressOrNetwork, sshPublicKey, type ClusterConfig } from './config-schema';
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
    if (typeof node === 'object' && node !== null)
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(value) as T;
}

/** The operator's concrete key and address, checked by the same schemas as if they were written in the config. */
export function resolveSecrets(config: Pick<ClusterConfig, 'operator'>, document: VarsDocument): ResolvedSecrets {
  const operator = resolveVars(config.operator, document);
  const check = (field: 'sshPublicKey' | 'address', schema: z.ZodType<string>): string => {
    const value = String(operator[field]);
    const parsed = schema.safeParse(value);
    if (parsed.success) return parsed.data;
    const raw = config.operator[field];
    throw new CloudError(
      `${isVarRef(raw) ? `vars.${varPath(raw)}` : `operator.${field}`} is "${value.slice(0, 40)}", which ${parsed.error.issues[0]!.message}.`,
    );
  };
  return { sshPublicKey: check('sshPublicKey', sshPublicKey), operatorAddress: check('address', ipv4AddressOrNetwork) };
}
