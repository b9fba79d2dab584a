import { describe, expect, it } from 'vitest';
import { parseDocumentText, validateDocument, formatFieldPath } from '../src/document-validation';
import {
  DOC_NAMES,
  documentPath,
  emptyDocument,
  isDocName,
  stateSchema,
  tokensSchema,
  varsSchema,
} from '../src/documents';
import { secretNeedles } from '../src/token-leaks';
import { VaultError } from '../src/vault-error';
import { CloudError } from '@personal-cloud/cluster';

const source = { what: 'cluster/x.json.age decrypts, but', fix: 'fix it' };

function failure(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(VaultError);
    return error as VaultError;
  }
  throw new Error('expected a VaultError');
}

describe('document schemas', () => {
  it('accept the documented shapes', () => {
    expect(stateSchema.parse({ version: 1, layers: { infra: { servers: [1, 2] } } })).toEqual({
      version: 1,
      layers: { infra: { servers: [1, 2] } },
    });
    const vars = { CLUSTER: { MASTER_1: { ip: '10.0.1.11', hetzner_id: '42', port: 22, public: false } } };
    expect(varsSchema.parse(vars)).toEqual(vars);
    expect(tokensSchema.parse({ hcloud: 'abc' })).toEqual({ hcloud: 'abc' });
  });

  it("take a token's expiry (<NAME>_EXPIRES) only as a date or a zoned ISO time, naming the token otherwise", () => {
    const tokens = {
      TAILSCALE_AUTH_KEY: 'tskey-auth-k123',
      TAILSCALE_AUTH_KEY_EXPIRES: '2027-03-01',
      OTHER_EXPIRES: '2027-03-01T12:30:00+01:00',
    };
    expect(validateDocument('tokens', tokens, source)).toEqual(tokens);
    for (const bad of ['in 90 days', '2027-02-30', '2027-03-01T12:00:00', '01.03.2027'])
      expect(failure(() => validateDocument('tokens', { TAILSCALE_AUTH_KEY_EXPIRES: bad }, source)).message).toBe(
        `cluster/x.json.age decrypts, but does not match the tokens schema at TAILSCALE_AUTH_KEY_EXPIRES: must be the date the token expires, as YYYY-MM-DD (UTC) or an ISO 8601 time with its zone, e.g. 2027-03-01 or 2027-03-01T12:00:00Z, not "${bad}"; fix it.`,
      );
    // A date is no secret: a doc or a test that shows it is no leak.
    expect(secretNeedles(tokens).map((n) => n.token)).toEqual(['TAILSCALE_AUTH_KEY']);
  });

  it('have empty defaults that satisfy them, at cluster/<doc>.json.age', () => {
    for (const doc of DOC_NAMES) {
      expect(validateDocument(doc, emptyDocument(doc), source)).toEqual(emptyDocument(doc));
      expect(documentPath(doc)).toBe(`cluster/${doc}.json.age`);
    }
    expect(emptyDocument('state')).toEqual({ version: 1, layers: {} });
    expect(isDocName('vars')).toBe(true);
    expect(isDocName('secrets')).toBe(false);
  });

  it('hand out a fresh empty default each time, so a caller cannot mutate the next one', () => {
    const first = emptyDocument('state');
    first.layers.infra = {};
    expect(emptyDocument('state')).toEqual({ version: 1, layers: {} });
  });
});

describe('validation errors', () => {
  it('are CloudErrors with one sentence naming the deepest failing field of vars', () => {
    const error = failure(() => validateDocument('vars', { CLUSTER: { MASTER_1: { ip: null } } }, source));
    expect(error).toBeInstanceOf(CloudError);
    expect(error.message).toBe(
      'cluster/x.json.age decrypts, but does not match the vars schema at CLUSTER.MASTER_1.ip: expected a string, a number, a boolean or a nested object; fix it.',
    );
  });

  it('reject arrays in vars, naming the path', () => {
    expect(failure(() => validateDocument('vars', { A: { list: [1, 2] } }, source)).message).toMatch(
      /at A\.list: expected a string/,
    );
  });

  it('name the state field and count the other problems', () => {
    const error = failure(() => validateDocument('state', { version: 2, layers: [] }, source));
    expect(error.message).toMatch(/the state schema at version: .*\(and 1 more problem\); fix it\.$/);
  });

  it('reject unknown top-level state keys (a typo would otherwise be lost)', () => {
    expect(failure(() => validateDocument('state', { version: 1, layers: {}, layer: {} }, source)).message).toMatch(
      /state schema at the top level: unrecognized key/,
    );
  });

  it('name token fields with odd characters in brackets', () => {
    expect(failure(() => validateDocument('tokens', { 'my token': 5 }, source)).message).toMatch(
      /at \["my token"\]: invalid input: expected string, received number/,
    );
  });

  it('report invalid JSON with the parser message', () => {
    expect(failure(() => parseDocumentText('tokens', '{"a": ', source)).message).toMatch(
      /^cluster\/x\.json\.age decrypts, but is not valid JSON \(.+\); fix it\.$/,
    );
  });

  it('are a single sentence', () => {
    const error = failure(() => validateDocument('vars', { A: { B: { C: [] } } }, source));
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message.match(/\. /g) ?? []).toHaveLength(0);
  });
});

describe('formatFieldPath', () => {
  it('writes paths the way the seed writes vars', () => {
    expect(formatFieldPath([])).toBe('the top level');
    expect(formatFieldPath(['CLUSTER', 'MASTER_1', 'ip'])).toBe('CLUSTER.MASTER_1.ip');
    expect(formatFieldPath(['layers', 'infra', 'servers', 0, 'name'])).toBe('layers.infra.servers[0].name');
    expect(formatFieldPath(['a.b', 'c'])).toBe('["a.b"].c');
  });
});
