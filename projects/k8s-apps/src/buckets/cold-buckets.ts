// The cold tier's buckets, as provision must make them exist: Hetzner's Cloud API cannot create
// S3 buckets or keys, so the operator enters the object storage's S3 keys into the vault's tokens
// and provision creates the missing buckets through the S3 API. Before storage.cold.fromPhase there
// is no cold tier, and keys that are missing then are fine. Pure.
import { CloudError, type LayerConfig } from '@personal-cloud/cluster';

export const S3_KEY_TOKENS = ['S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const;

export interface BucketRequest {
  /** The object storage's S3 endpoint for the location, `https://<location>.your-objectstorage.com`. */
  endpoint: string;
  region: string;
  /** Every bucket the config names, once each, sorted. */
  buckets: string[];
  credentials: { accessKeyId: string; secretAccessKey: string };
}

/** What provision must make exist in the object storage: null before the cold tier's phase. */
export function coldBucketRequest(
  config: Pick<LayerConfig<'k8s-apps'>, 'phase' | 'storage'>,
  tokens: Readonly<Record<string, string>>,
): BucketRequest | null {
  const cold = config.storage.cold;
  if (config.phase < cold.fromPhase) return null;
  const missing = S3_KEY_TOKENS.filter((token) => !tokens[token]);
  if (missing.length)
    throw new CloudError(
      `the vault's tokens lack ${missing.join(' and ')}: the cold tier exists from phase ${cold.fromPhase} (storage.cold.fromPhase) and this is phase ${config.phase}, so provision creates its buckets with the object storage's S3 keys; create them in Hetzner's console and enter them with \`npm run state -- edit tokens\`. Nothing was created.`,
    );
  const buckets = [...new Set(Object.values(cold.buckets).filter((b): b is string => Boolean(b)))].sort();
  return {
    endpoint: cold.endpoint,
    region: cold.region,
    buckets,
    credentials: { accessKeyId: tokens.S3_ACCESS_KEY_ID!, secretAccessKey: tokens.S3_SECRET_ACCESS_KEY! },
  };
}
