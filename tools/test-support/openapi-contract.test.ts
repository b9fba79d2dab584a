import { describe, expect, it } from 'vitest';
import { describeWithFile } from './external-tools';
import { loadContract } from './openapi-contract';
import { openapiSpecPath } from './openapi-spec';

describeWithFile(openapiSpecPath(), 'openapi contract', () => {
  const contract = () => loadContract(openapiSpecPath());

  it('prefers literal path segments to parameters', () => {
    expect(contract().operation('GET', '/v1/servers/actions?id=1')?.operationId).toBe('list_servers_actions');
    expect(contract().operation('GET', '/v1/servers/42')?.operationId).toBe('get_server');
  });

  it('accepts a well-formed error envelope and rejects a malformed one', () => {
    const ok = { error: { code: 'not_found', message: 'server with ID 1 not found', details: {} } };
    expect(contract().checkResponse('GET', '/v1/servers/1', 404, ok)).toEqual([]);
    expect(contract().checkResponse('GET', '/v1/servers/1', 404, { error: { code: 1 } })).not.toEqual([]);
    expect(
      contract().checkResponse('GET', '/v1/servers/1', 404, { error: { code: 'locked', message: 'x' } }),
    ).not.toEqual([]);
    // Operation-specific codes come from the operation's own table.
    const placement = { error: { code: 'placement_error', message: 'no capacity', details: null } };
    expect(contract().checkResponse('POST', '/v1/servers', 422, placement)).toEqual([]);
  });

  it('checks request bodies', () => {
    expect(contract().checkRequest('POST', '/v1/ssh_keys', { name: 'k', public_key: 'ssh-ed25519 AAAA' })).toEqual([]);
    expect(contract().checkRequest('POST', '/v1/ssh_keys', { name: 7 })).not.toEqual([]);
  });
});

describe('openapi contract without the spec', () => {
  it('is located through HCLOUD_OPENAPI_SPEC or ../shared', () => {
    expect(openapiSpecPath()).toMatch(/openapi\.yml$/);
  });
});
