// SSH keys: synchronous create, update and delete; names and fingerprints are unique.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { invalidField, uniquenessError } from '../http/api-error';
import type { Handler } from '../http/handler';
import { parseBody } from '../http/request-body';
import type { Router } from '../http/router';
import { listResponse } from '../listing/list-resources';
import { formatTime } from '../world/actions';
import type { SshKeyRecord } from '../world/world';
import { nextId } from '../world/world';
import { assertUniqueName, copyLabels, labelsField, plainName, recordAt } from './fields';

const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ssh-dss',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

const createBody = z.object({ name: plainName, public_key: z.string(), labels: labelsField.optional() });
const updateBody = z.object({ name: plainName.optional(), labels: labelsField.optional() });

export function renderSshKey(key: SshKeyRecord) {
  return {
    id: key.id,
    name: key.name,
    fingerprint: key.fingerprint,
    public_key: key.public_key,
    labels: { ...key.labels },
    created: formatTime(key.created),
  };
}

/**
 * The MD5 fingerprint Hetzner shows, after checking the key is an OpenSSH public key whose
 * encoded blob names the same algorithm as its prefix.
 */
export function fingerprintOf(publicKey: string): string {
  const [type = '', data = ''] = publicKey.trim().split(/\s+/);
  const blob = /^[A-Za-z0-9+/]+={0,2}$/.test(data) ? Buffer.from(data, 'base64') : Buffer.alloc(0);
  const embedded = blob.length >= 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1') : '';
  if (!KEY_TYPES.includes(type) || embedded !== type)
    throw invalidField('public_key', 'must be an OpenSSH public key, e.g. "ssh-ed25519 AAAAC3Nz… comment"');
  return createHash('md5').update(blob).digest('hex').match(/../g)!.join(':');
}

const list: Handler = (request, { world }) => {
  const fingerprint = request.query.get('fingerprint');
  return listResponse(request, {
    key: 'ssh_keys',
    records: Object.values(world.ssh_keys),
    render: renderSshKey,
    sortFields: ['id', 'name'],
    byName: (k) => k.name,
    labels: (k) => k.labels,
    filters: fingerprint === null ? [] : [(k) => k.fingerprint === fingerprint],
  });
};

const create: Handler = (request, context) => {
  const body = parseBody(createBody, request.body);
  const { world } = context;
  assertUniqueName(world.ssh_keys, body.name, 'SSH key');
  const fingerprint = fingerprintOf(body.public_key);
  if (Object.values(world.ssh_keys).some((k) => k.fingerprint === fingerprint))
    throw uniquenessError('public_key', 'SSH key with the same fingerprint already exists');
  const key: SshKeyRecord = {
    id: nextId(world, 'ssh_keys'),
    name: body.name,
    created: context.now,
    labels: copyLabels(body.labels),
    fingerprint,
    public_key: body.public_key.trim(),
  };
  world.ssh_keys[key.id] = key;
  context.changed();
  return { status: 201, body: { ssh_key: renderSshKey(key) } };
};

const get: Handler = (request, { world }) => ({
  status: 200,
  body: { ssh_key: renderSshKey(recordAt(world.ssh_keys, request.params.id, 'SSH key')) },
});

const update: Handler = (request, context) => {
  const key = recordAt(context.world.ssh_keys, request.params.id, 'SSH key');
  const body = parseBody(updateBody, request.body);
  if (body.name !== undefined) {
    assertUniqueName(context.world.ssh_keys, body.name, 'SSH key', key.id);
    key.name = body.name;
  }
  if (body.labels !== undefined) key.labels = copyLabels(body.labels);
  context.changed();
  return { status: 200, body: { ssh_key: renderSshKey(key) } };
};

const remove: Handler = (request, context) => {
  const key = recordAt(context.world.ssh_keys, request.params.id, 'SSH key');
  delete context.world.ssh_keys[key.id];
  context.changed();
  return { status: 204 };
};

export function sshKeyRoutes(router: Router<Handler>): void {
  router
    .get('/ssh_keys', list)
    .post('/ssh_keys', create)
    .get('/ssh_keys/{id}', get)
    .put('/ssh_keys/{id}', update)
    .delete('/ssh_keys/{id}', remove);
}
