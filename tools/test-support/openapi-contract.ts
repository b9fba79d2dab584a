import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Contract checks against Hetzner's own OpenAPI spec: find the operation a request hits and
 * validate the request body and the response body against that operation's schemas. The spec
 * inlines every schema (no $ref), so each one compiles on its own; compiled validators are memoised.
 */
export interface Contract {
  /** The spec's path template and operationId for a concrete method and path (with or without /v1 and a query). */
  operation(method: string, path: string): { template: string; operationId: string } | undefined;
  /** Problems with a response; empty when it matches the spec for that operation and status. */
  checkResponse(method: string, path: string, status: number, body: unknown): string[];
  /** Problems with a request body; empty when it matches the operation's request schema. */
  checkRequest(method: string, path: string, body: unknown): string[];
}

interface Operation {
  operationId: string;
  description?: string;
  requestBody?: { content?: Record<string, { schema?: object }> };
  responses: Record<string, { content?: Record<string, { schema?: object }> }>;
}

type Paths = Record<string, Record<string, Operation>>;

const cache = new Map<string, Contract>();

export function loadContract(specPath: string): Contract {
  const known = cache.get(specPath);
  if (known) return known;
  const spec = readSpec(specPath) as { info: { description: string }; paths: Paths };
  const globalErrors = errorCodes(spec.info.description);
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // Formats the spec uses that are not JSON Schema formats: numbers are checked by `type`, file systems by `enum`.
  for (const format of ['int32', 'int64', 'double', 'decimal']) ajv.addFormat(format, true);

  const templates = Object.keys(spec.paths).map((template) => ({
    template,
    pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
    // Literal segments win over parameters: /servers/actions must not match /servers/{id}.
    params: (template.match(/\{/g) ?? []).length,
  }));
  templates.sort((a, b) => a.params - b.params);

  const validators = new Map<string, ValidateFunction>();
  const validator = (key: string, schema: object): ValidateFunction => {
    let v = validators.get(key);
    if (!v) {
      v = ajv.compile(schema);
      validators.set(key, v);
    }
    return v;
  };

  const find = (method: string, path: string) => {
    const bare = path.split('?')[0]!.replace(/^\/v1(?=\/)/, '');
    const match = templates.find((t) => t.pattern.test(bare));
    const op = match && spec.paths[match.template]?.[method.toLowerCase()];
    return match && op ? { template: match.template, op } : undefined;
  };

  const explain = (v: ValidateFunction) =>
    (v.errors ?? []).map(
      (e) => `${e.instancePath || '(body)'} ${e.message}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    );

  const contract: Contract = {
    operation(method, path) {
      const found = find(method, path);
      return found && { template: found.template, operationId: found.op.operationId };
    },
    checkResponse(method, path, status, body) {
      const found = find(method, path);
      if (!found) return [`${method} ${path} is not an operation of the Hetzner API`];
      if (status >= 400) return checkError(found.op, status, body, globalErrors);
      const response = found.op.responses[String(status)];
      if (!response) return [`${found.op.operationId} does not document status ${status}`];
      const schema = response.content?.['application/json']?.schema;
      if (!schema)
        return body === undefined || body === '' ? [] : [`${found.op.operationId} ${status} has no body in the spec`];
      const v = validator(`${found.op.operationId} ${status}`, schema);
      return v(body) ? [] : explain(v).map((m) => `${found.op.operationId} ${status}: ${m}`);
    },
    checkRequest(method, path, body) {
      const found = find(method, path);
      if (!found) return [`${method} ${path} is not an operation of the Hetzner API`];
      const schema = found.op.requestBody?.content?.['application/json']?.schema;
      if (!schema) return body === undefined ? [] : [`${found.op.operationId} takes no request body`];
      const v = validator(`${found.op.operationId} request`, schema);
      return v(body) ? [] : explain(v).map((m) => `${found.op.operationId} request: ${m}`);
    },
  };
  cache.set(specPath, contract);
  return contract;
}

/** `| \`422\` | \`placement_error\` |` rows of the error tables in a description, as "422 placement_error". */
function errorCodes(description = ''): Set<string> {
  return new Set([...description.matchAll(/\|\s*`(\d{3})`\s*\|\s*`([a-z_]+)`\s*\|/g)].map((m) => `${m[1]} ${m[2]}`));
}

/**
 * The spec documents errors in prose: the envelope `{ error: { code, message, details } }` and tables
 * of status and code, one for the whole API and one in each operation's description. An error
 * response must have the envelope and a status and code that one of those tables lists.
 */
function checkError(op: Operation, status: number, body: unknown, globalErrors: Set<string>): string[] {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)?.error;
  if (!error || typeof error.code !== 'string' || typeof error.message !== 'string')
    return [`${op.operationId} ${status}: the error envelope needs error.code and error.message strings`];
  if (error.details !== undefined && error.details !== null && typeof error.details !== 'object')
    return [`${op.operationId} ${status}: error.details must be an object`];
  const key = `${status} ${error.code}`;
  if (globalErrors.has(key) || errorCodes(op.description).has(key)) return [];
  return [`${op.operationId}: status ${status} with code ${error.code} is not documented`];
}

/**
 * The spec as data. Parsing its 2.7 MB of YAML costs about a second of CPU, and every test file that
 * checks the contract runs in a fresh module graph, so the parsed form is kept as JSON (a hundred
 * times quicker to read) in the temp dir, named by the hash of the YAML, written atomically because
 * parallel test files race to make it.
 */
function readSpec(specPath: string): unknown {
  const yaml = readFileSync(specPath, 'utf8');
  const dir = join(tmpdir(), 'personal-cloud-openapi');
  const cached = join(dir, `${createHash('sha256').update(yaml).digest('hex').slice(0, 16)}.json`);
  try {
    return JSON.parse(readFileSync(cached, 'utf8'));
  } catch {
    const spec: unknown = parse(yaml);
    mkdirSync(dir, { recursive: true });
    const temp = `${cached}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(spec));
    renameSync(temp, cached);
    return spec;
  }
}
