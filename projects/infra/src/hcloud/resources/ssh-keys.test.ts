import { describe, expect, it } from 'vitest';
import { page, sshKey } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as sshKeys from './ssh-keys';

const api = useFakeHetzner();
const labels = { 'managed-by': 'personal-cloud', cluster: 'test', role: 'ssh-key', name: 'operator' };
const body = { name: 'operator', public_key: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGz operator@example', labels };

describe('ssh keys', () => {
  it('lists by label selector, one paginated list', async () => {
    api.fake.on('GET', '/ssh_keys', { status: 200, body: page('ssh_keys', [sshKey()]) });
    const keys = await sshKeys.list(api.client, { labelSelector: { cluster: 'test', 'managed-by': 'personal-cloud' } });
    expect(keys).toEqual([sshKey()]);
    expect(api.fake.requests[0]?.rawQuery).toBe(
      'label_selector=cluster%3Dtest%2Cmanaged-by%3Dpersonal-cloud&page=1&per_page=50',
    );
  });

  it('creates with name, public key and labels', async () => {
    api.fake.on('POST', '/ssh_keys', { status: 201, body: { ssh_key: sshKey() } });
    await expect(sshKeys.create(api.client, body)).resolves.toEqual(sshKey());
    expect(api.fake.requests[0]?.body).toEqual(body);
  });

  it('recovers a create whose answer was lost, by name and labels, without a second POST', async () => {
    api.fake.on('POST', '/ssh_keys', [{ drop: true }, { status: 201, body: { ssh_key: sshKey({ id: 2 }) } }]);
    api.fake.on('GET', '/ssh_keys', { status: 200, body: page('ssh_keys', [sshKey()]) });
    await expect(sshKeys.create(api.client, body)).resolves.toEqual(sshKey());
    expect(api.fake.calls('POST', '/ssh_keys')).toHaveLength(1);
    expect(api.fake.calls('GET', '/ssh_keys')[0]?.query.get('name')).toBe('operator');
  });

  it('does not adopt a same-named key with other labels: it sends the create again', async () => {
    api.fake.on('POST', '/ssh_keys', [{ drop: true }, { status: 201, body: { ssh_key: sshKey({ id: 2 }) } }]);
    api.fake.on('GET', '/ssh_keys', {
      status: 200,
      body: page('ssh_keys', [sshKey({ labels: { owner: 'someone-else' } })]),
    });
    await expect(sshKeys.create(api.client, body)).resolves.toMatchObject({ id: 2 });
    expect(api.fake.calls('POST', '/ssh_keys')).toHaveLength(2);
  });

  it('gets, updates labels and deletes by id', async () => {
    api.fake.on('GET', '/ssh_keys/13', { status: 200, body: { ssh_key: sshKey() } });
    api.fake.on('PUT', '/ssh_keys/13', { status: 200, body: { ssh_key: sshKey() } });
    api.fake.on('DELETE', '/ssh_keys/13', { status: 204 });
    await sshKeys.get(api.client, 13);
    await sshKeys.update(api.client, 13, { labels });
    await sshKeys.delete(api.client, 13);
    expect(api.fake.requests.map((r) => [r.method, r.path, r.body])).toEqual([
      ['GET', '/ssh_keys/13', undefined],
      ['PUT', '/ssh_keys/13', { labels }],
      ['DELETE', '/ssh_keys/13', undefined],
    ]);
  });
});
