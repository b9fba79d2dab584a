// Objects to YAML and back, with `yaml`. Output is canonical so two renders are byte-identical:
// apiVersion, kind and metadata lead each object, every other map is sorted by key, and lists
// keep their order (in Kubernetes a list's order means something).
import { parseAllDocuments, stringify } from 'yaml';
import { CloudError } from '@personal-cloud/cluster';

const LEADING_KEYS = ['apiVersion', 'kind', 'metadata'];

function rank(key: string): number {
  const at = LEADING_KEYS.indexOf(key);
  return at === -1 ? LEADING_KEYS.length : at;
}

/** A deep copy with map keys in canonical order. */
export function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value === null || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, canonical(v)]));
}

/** One YAML stream: each object a document, separated by `---`. */
export function toYamlDocuments(objects: readonly unknown[]): string {
  return objects.map((object) => stringify(canonical(object), { lineWidth: 0 })).join('---\n');
}

/** Parses a YAML stream; a syntax error names the file. */
export function parseYamlDocuments(text: string, file: string): unknown[] {
  return parseAllDocuments(text).map((document) => {
    if (document.errors.length) throw new CloudError(`${file} is not valid YAML: ${document.errors[0]!.message}`);
    return document.toJS() as unknown;
  });
}
