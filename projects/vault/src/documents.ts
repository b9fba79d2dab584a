import { z } from 'zod';
import { EXPIRY_FORMAT_MESSAGE, isExpiryToken, parseExpiry } from './token-expiry';

/** The documents of the secrets repo; each is one age-encrypted JSON file. */
export type DocName = 'state' | 'vars' | 'tokens';
export const DOC_NAMES: readonly DocName[] = ['state', 'vars', 'tokens'];

/** Layer state: each layer owns and validates its own `layers[name]`. */
export const stateSchema = z.strictObject({
  version: z.literal(1),
  layers: z.record(z.string(), z.unknown()),
});
export type State = z.infer<typeof stateSchema>;

/** Vars: the seed's `vars.CLUSTER.MASTER_1.ip` tree, nested objects with scalar leaves. */
export type VarsLeaf = string | number | boolean;
export type Vars = { [key: string]: VarsLeaf | Vars };
export const varsSchema: z.ZodType<Vars> = z.lazy(() =>
  z.record(
    z.string(),
    z.union([z.string(), z.number(), z.boolean(), varsSchema], {
      error: 'expected a string, a number, a boolean or a nested object',
    }),
  ),
);

/** Tokens: API tokens and keys by name; `<NAME>_EXPIRES` holds the date `<NAME>` expires (token-expiry.ts). */
export const tokensSchema = z.record(z.string(), z.string()).superRefine((tokens, context) => {
  for (const [name, value] of Object.entries(tokens))
    if (isExpiryToken(name) && parseExpiry(value) === undefined)
      context.addIssue({
        code: 'custom',
        path: [name],
        message: `${EXPIRY_FORMAT_MESSAGE}, not "${value.slice(0, 40)}"`,
      });
});
export type Tokens = z.infer<typeof tokensSchema>;

export interface Docs {
  state: State;
  vars: Vars;
  tokens: Tokens;
}

export const docSchemas: { readonly [D in DocName]: z.ZodType<Docs[D]> } = {
  state: stateSchema,
  vars: varsSchema,
  tokens: tokensSchema,
};

/** The value of a document whose file does not exist yet. */
export function emptyDocument<D extends DocName>(doc: D): Docs[D] {
  const empty: Docs = { state: { version: 1, layers: {} }, vars: {}, tokens: {} };
  return empty[doc];
}

/** Where a document lives, relative to the secrets repo. */
export function documentPath(doc: DocName): string {
  return `cluster/${doc}.json.age`;
}

export function isDocName(name: string): name is DocName {
  return (DOC_NAMES as readonly string[]).includes(name);
}
