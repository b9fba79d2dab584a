// The cold tier's missing buckets, created through the S3 API of Hetzner's object storage with the
// operator's S3 keys: one ListBuckets, then a CreateBucket per bucket not listed. A bucket the
// account owns already (BucketAlreadyOwnedByYou, as when another run made it since the list) is
// success. Path-style addressing (`<endpoint>/<bucket>`), which Hetzner serves, so the endpoint's
// TLS name and any S3 stand-in work without per-bucket host names.
import { CloudError } from '@personal-cloud/cluster';
import type { BucketRequest } from './cold-buckets';

/** What an answer's error code means for the operator. */
const FIX: Record<string, string> = {
  AccessDenied:
    'the S3 keys in the vault are not allowed to create buckets; enter keys of the project that owns them with `npm run state -- edit tokens`',
  InvalidAccessKeyId:
    "the vault's S3_ACCESS_KEY_ID is not a key of this object storage; enter the right one with `npm run state -- edit tokens`",
  SignatureDoesNotMatch:
    "the vault's S3_SECRET_ACCESS_KEY does not belong to S3_ACCESS_KEY_ID; enter the right one with `npm run state -- edit tokens`",
  BucketAlreadyExists: 'another account owns a bucket of that name; choose another name in storage.cold.buckets',
};

/** Creates the request's buckets the account does not have; returns their names. */
export async function createMissingBuckets(request: BucketRequest): Promise<string[]> {
  // Loaded here: the S3 client is a large import that only the Hetzner world's provision needs.
  const { S3Client, ListBucketsCommand, CreateBucketCommand } = await import('@aws-sdk/client-s3');
  const client = new S3Client({
    endpoint: request.endpoint,
    region: request.region,
    credentials: request.credentials,
    forcePathStyle: true,
    // CreateBucket needs no checksum; S3-compatible stores need not accept the SDK's optional ones.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    maxAttempts: 3,
  });
  try {
    const listed = await client.send(new ListBucketsCommand({})).catch((error: unknown) => {
      throw s3Error('listing the buckets', request.endpoint, error);
    });
    const owned = new Set((listed.Buckets ?? []).map((bucket) => bucket.Name));
    const created: string[] = [];
    for (const bucket of request.buckets.filter((name) => !owned.has(name))) {
      try {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        created.push(bucket);
      } catch (error) {
        if ((error as Error).name === 'BucketAlreadyOwnedByYou') continue;
        throw s3Error(`creating the bucket ${bucket}`, request.endpoint, error);
      }
    }
    return created;
  } finally {
    client.destroy();
  }
}

function s3Error(doing: string, endpoint: string, error: unknown): CloudError {
  const { name, message } = error as Error;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  if (status === undefined)
    return new CloudError(`k8s-apps: the object storage at ${endpoint} did not answer while ${doing}: ${message}.`);
  const fix = FIX[name] ? `; ${FIX[name]}` : '';
  return new CloudError(
    `k8s-apps: the object storage at ${endpoint} refused ${doing} (${status} ${name}: ${message.replace(/\.$/, '')})${fix}.`,
  );
}
