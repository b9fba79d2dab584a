import type { z } from 'zod';
import { docSchemas, type DocName, type Docs } from './documents';
import { VaultError } from './vault-error';

/** How a document is named in messages, and what the operator should do when it is wrong. */
export interface DocumentSource {
  /** e.g. `cluster/state.json.age` or `your edit of vars`. */
  what: string;
  /** The advice that ends the sentence, e.g. `nothing was written`. */
  fix: string;
}

/** Parses decrypted or edited text as JSON and validates it against the document's schema. */
export function parseDocumentText<D extends DocName>(doc: D, text: string, source: DocumentSource): Docs[D] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new VaultError(`${source.what} is not valid JSON (${(error as Error).message}); ${source.fix}.`);
  }
  return validateDocument(doc, value, source);
}

/** Validates a value against the document's schema; the error names the first failing field path. */
export function validateDocument<D extends DocName>(doc: D, value: unknown, source: DocumentSource): Docs[D] {
  const schema = docSchemas[doc] as z.ZodType<Docs[D]>;
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [first, ...others] = result.error.issues;
  const { path, message } = first ? deepestIssue(first) : { path: [], message: 'invalid' };
  const more = others.length > 0 ? ` (and ${others.length} more problem${others.length === 1 ? '' : 's'})` : '';
  throw new VaultError(
    `${source.what} does not match the ${doc} schema at ${formatFieldPath(path)}: ${lowerFirst(message)}${more}; ${source.fix}.`,
  );
}

/** `layers.infra.servers[0]["my key"]`, or `the top level` for the root. */
export function formatFieldPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return 'the top level';
  return path
    .map((key, index) => {
      if (typeof key === 'number') return `[${key}]`;
      const name = String(key);
      if (/^[A-Za-z_$][\w$-]*$/.test(name)) return index === 0 ? name : `.${name}`;
      return `[${JSON.stringify(name)}]`;
    })
    .join('');
}

interface LocatedIssue {
  path: PropertyKey[];
  message: string;
}

/**
 * A union reports failure where it stands; when one branch (a nested object) got further, its
 * innermost issue names the field the operator has to fix, so report that one instead.
 */
function deepestIssue(issue: z.core.$ZodIssue): LocatedIssue {
  const here: LocatedIssue = { path: [...issue.path], message: issue.message };
  if (issue.code !== 'invalid_union') return here;
  let best: LocatedIssue | undefined;
  for (const branch of issue.errors) {
    for (const inner of branch) {
      const found = deepestIssue(inner);
      if (found.path.length > 0 && (!best || found.path.length > best.path.length)) best = found;
    }
  }
  return best ? { path: [...issue.path, ...best.path], message: best.message } : here;
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
