// The cold tier's buckets: which ones provision must make exist, from which phase, with which keys
// (pure), and the real @aws-sdk/client-s3 against a local S3 stand-in: one ListBuckets, then a
// SigV4-signed path-style PUT /<bucket> per missing bucket; BucketAlreadyOwnedByYou is success,
// AccessDenied is one sentence.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { coldBucketRequest, type BucketRequest } from '../src/buckets/cold-buckets';
import { createMissingBuckets } from '../src/buckets/s3-buckets';
import { shippedConfig } from './fixtures';

const KEYS = { S3_ACCESS_KEY_ID: 'TESTACCESSKEY0123', S3_SECRET_ACCESS_KEY: 'test-secret-key-0123456789abcdef' };

describe('coldBucketRequest', () => {
  it('asks for every bucket the config names, with the vault S3 keys, from the cold phase on', () => {
    expect(coldBucketRequest(shippedConfig(), KEYS)).toEqual({
      endpoint: 'https://fsn1.your-objectstorage.com',
      region: 'fsn1',
      buckets: ['personal-cloud-archive', 'personal-cloud-backups', 'personal-cloud-cache'],
      credentials: { accessKeyId: KEYS.S3_ACCESS_KEY_ID, secretAccessKey: KEYS.S3_SECRET_ACCESS_KEY },
    });
  });

  it('needs no keys before storage.cold.fromPhase, and names the missing one after it', () => {
    expect(coldBucketRequest({ ...shippedConfig(), phase: 2 }, {})).toBeNull();
    expect(() => coldBucketRequest(shippedConfig(), { S3_ACCESS_KEY_ID: KEYS.S3_ACCESS_KEY_ID })).toThrow(
      "the vault's tokens lack S3_SECRET_ACCESS_KEY: the cold tier exists from phase 3 (storage.cold.fromPhase) and this is phase 4, so provision creates its buckets with the object storage's S3 keys; create them in Hetzner's console and enter them with `npm run state -- edit tokens`. Nothing was created.",
    );
  });
});

describe('createMissingBuckets with the S3 client', () => {
  const requests: { method: string; url: string; authorization: string }[] = [];
  /** Per `PUT /<bucket>/`: the status, error code and message to answer, else 200. */
  const refusals = new Map<string, [number, string, string]>();
  let server: ReturnType<typeof createServer>;
  let request: BucketRequest;

  const xml = (response: ServerResponse, status: number, body: string) => {
    response.writeHead(status, { 'Content-Type': 'application/xml' });
    response.end(`<?xml version="1.0" encoding="UTF-8"?>\n${body}`);
  };
  const answer = (incoming: IncomingMessage, response: ServerResponse) => {
    const url = incoming.url ?? '/';
    requests.push({ method: incoming.method ?? '', url, authorization: incoming.headers.authorization ?? '' });
    if (incoming.method === 'GET' && new URL(url, 'http://s3').pathname === '/')
      return xml(
        response,
        200,
        '<ListAllMyBucketsResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Owner><ID>1</ID></Owner><Buckets><Bucket><Name>personal-cloud-archive</Name><CreationDate>2026-01-01T00:00:00.000Z</CreationDate></Bucket></Buckets></ListAllMyBucketsResult>',
      );
    const refusal = refusals.get(new URL(url, 'http://s3').pathname);
    if (incoming.method === 'PUT' && refusal)
      return xml(
        response,
        refusal[0],
        `<Error><Code>${refusal[1]}</Code><Message>${refusal[2]}</Message><RequestId>r1</RequestId></Error>`,
      );
    response.writeHead(200, { Location: url });
    response.end();
  };

  beforeAll(async () => {
    server = createServer((incoming, response) => {
      incoming.resume();
      incoming.on('end', () => answer(incoming, response));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    request = {
      ...coldBucketRequest(shippedConfig(), KEYS)!,
      endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    };
  });
  afterAll(
    () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  );
  beforeEach(() => {
    requests.length = 0;
    refusals.clear();
  });

  it('lists once, then creates each missing bucket with a signed path-style PUT; one owned already is success', async () => {
    refusals.set('/personal-cloud-cache/', [
      409,
      'BucketAlreadyOwnedByYou',
      'Your previous request to create the named bucket succeeded and you already own it.',
    ]);
    expect(await createMissingBuckets(request)).toEqual(['personal-cloud-backups']);
    expect(requests.map((r) => `${r.method} ${new URL(r.url, 'http://s3').pathname}`)).toEqual([
      'GET /',
      // Path-style: the bucket is the path (the client ends it with a slash), not the host.
      'PUT /personal-cloud-backups/',
      'PUT /personal-cloud-cache/',
    ]);
    for (const { authorization } of requests)
      expect(authorization).toMatch(
        /^AWS4-HMAC-SHA256 Credential=TESTACCESSKEY0123\/\d{8}\/fsn1\/s3\/aws4_request, SignedHeaders=\S*host\S*, Signature=[0-9a-f]{64}$/,
      );
  });

  it('names an AccessDenied in one sentence with the fix', async () => {
    refusals.set('/personal-cloud-backups/', [403, 'AccessDenied', 'Access Denied.']);
    await expect(createMissingBuckets(request)).rejects.toThrow(
      `k8s-apps: the object storage at ${request.endpoint} refused creating the bucket personal-cloud-backups (403 AccessDenied: Access Denied); the S3 keys in the vault are not allowed to create buckets; enter keys of the project that owns them with \`npm run state -- edit tokens\`.`,
    );
  });
});
