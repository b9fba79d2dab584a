import { CloudError } from '@personal-cloud/cluster';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HcloudClient } from './client';
import { HcloudError, isHcloudError } from './errors';
import { apiError, FakeHetzner, type Reply } from '../../test/support/hcloud/fake-hetzner';

let fake: FakeHetzner;
beforeAll(async () => {
  fake = await FakeHetzner.start();
});
afterAll(async () => {
  await fake.close();
});

/** The HcloudError a request answered with `reply` ends in. */
async function errorFor(reply: Reply, method: 'GET' | 'POST' = 'POST', path = '/servers'): Promise<HcloudError> {
  fake.on(method, path, reply);
  const client = new HcloudClient({
    endpoint: fake.url,
    token: 'x'.repeat(64),
    sleep: async () => {},
    retry: { maxAttempts: 1 },
  });
  const error = await client.request(method, path, { body: method === 'POST' ? { name: 'worker-1' } : undefined }).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(HcloudError);
  return error as HcloudError;
}

describe('HcloudError', () => {
  it('is a CloudError, so runners print it as one sentence', async () => {
    const error = await errorFor(apiError(401, 'unauthorized', 'unable to authenticate'));
    expect(error).toBeInstanceOf(CloudError);
    expect(isHcloudError(error)).toBe(true);
    expect(isHcloudError(error, 'unauthorized')).toBe(true);
    expect(isHcloudError(error, 'not_found')).toBe(false);
    expect(isHcloudError(new Error('x'))).toBe(false);
  });

  it('says to check HCLOUD_TOKEN on 401', async () => {
    const error = await errorFor(apiError(401, 'unauthorized', 'unable to authenticate'), 'GET');
    expect(error.message).toBe('the Hetzner API rejected the token (401 unauthorized): check HCLOUD_TOKEN');
    expect(error).toMatchObject({
      status: 401,
      code: 'unauthorized',
      apiMessage: 'unable to authenticate',
      method: 'GET',
      path: '/servers',
    });
  });

  it('says a read-only token cannot write', async () => {
    const error = await errorFor(apiError(401, 'token_readonly', 'token is read-only'));
    expect(error.message).toBe(
      'the Hetzner API token is read-only (401 token_readonly) and may not POST /servers: set HCLOUD_TOKEN to a Read & Write token',
    );
  });

  it('names the exceeded limit on 403 resource_limit_exceeded', async () => {
    const error = await errorFor(
      apiError(403, 'resource_limit_exceeded', 'server limit exceeded', { limits: [{ name: 'server_limit' }] }),
    );
    expect(error.message).toBe(
      "POST /servers would exceed the Hetzner project's limit on server_limit (403 resource_limit_exceeded: server limit exceeded): delete unused resources or ask Hetzner support to raise the limit",
    );
    expect(error.details).toEqual({ limits: [{ name: 'server_limit' }] });
  });

  it('names the token on 403 forbidden', async () => {
    const error = await errorFor(apiError(403, 'forbidden', 'insufficient permissions'));
    expect(error.message).toContain('HCLOUD_TOKEN');
    expect(error.message).toContain('(403 forbidden: insufficient permissions)');
  });

  it('names every invalid field and what is wrong with it on 422 invalid_input', async () => {
    const details = {
      fields: [
        { name: 'server_type', messages: ['server type ccx99 not found'] },
        { name: 'name', messages: ['is too long', 'is not a valid hostname'] },
      ],
    };
    const error = await errorFor(
      apiError(422, 'invalid_input', "invalid input in fields 'server_type', 'name'", details),
    );
    expect(error.message).toBe(
      "POST /servers was refused for invalid input in server_type (server type ccx99 not found), name (is too long; is not a valid hostname) (422 invalid_input: invalid input in fields 'server_type', 'name'): correct server_type, name in the configuration",
    );
  });

  it('names the clashing field on 409 uniqueness_error', async () => {
    const error = await errorFor(
      apiError(409, 'uniqueness_error', 'SSH key with the same fingerprint already exists', {
        fields: [{ name: 'public_key' }],
      }),
      'POST',
      '/ssh_keys',
    );
    expect(error.message).toMatch(
      /^POST \/ssh_keys clashes with an existing resource with the same public_key \(409 uniqueness_error: SSH key/,
    );
  });

  it('says how to get past a protection on 423 protected', async () => {
    const error = await errorFor(
      apiError(423, 'protected', 'server is delete protected'),
      'POST',
      '/servers/1/actions/rebuild',
    );
    expect(error.message).toContain('remove its protection (change_protection) first');
  });

  it('falls back to the code and the API message for codes it has no advice for', async () => {
    const error = await errorFor(apiError(422, 'placement_error', 'no capacity for spread placement'));
    expect(error.message).toBe(
      'POST /servers failed (422 placement_error: no capacity for spread placement): see the Hetzner API documentation for code placement_error',
    );
  });

  it('derives the code from the status when a proxy answers without the envelope', async () => {
    const error = await errorFor({ status: 502, rawBody: 'Bad Gateway' }, 'GET');
    expect(error).toMatchObject({ status: 502, code: 'bad_gateway', apiMessage: 'Bad Gateway' });
  });

  it('describes failed and timed-out actions by command and id', () => {
    const failed = new HcloudError({
      code: 'placement_error',
      apiMessage: 'no capacity',
      method: 'GET',
      path: '/actions/5',
      actions: [{ id: 5, command: 'create_server' }],
    });
    expect(failed.message).toBe(
      'the Hetzner action create_server (id 5) failed (placement_error: no capacity): fix the cause and rerun, which resumes from what exists',
    );
    const late = new HcloudError({
      code: 'action_timeout',
      apiMessage: 'still running after 600 s',
      method: 'GET',
      path: '/actions',
      actions: [{ id: 6, command: 'resize_volume' }],
    });
    expect(late.message).toContain('resize_volume (id 6) did not finish in time (still running after 600 s)');
  });
});
