import type { HcloudClient } from './client';
import { sameLabels, type Labels } from './labels';

/**
 * What a create whose answer was lost may have made: the resource with exactly this name
 * (`GET <path>?name=…`), if its labels are exactly the ones sent. Names are unique per project, so
 * that is the one; a same-named resource with other labels is someone else's, and is not returned
 * (the create is then sent again and fails with uniqueness_error, which names the clash).
 */
export async function findCreated<T extends { name: string; labels?: Labels | undefined }>(
  client: HcloudClient,
  path: string,
  key: string,
  sent: { name: string; labels?: Labels | undefined },
): Promise<T | undefined> {
  const found = await client.listAll<T>(path, key, { name: sent.name });
  return found.find((item) => item.name === sent.name && sameLabels(item.labels, sent.labels));
}
