import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const workspaceRoot = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Where Hetzner's OpenAPI spec is: $HCLOUD_OPENAPI_SPEC, else `../shared/hcloud/openapi.yml` beside
 * the workspace. It is not part of this repository; a user's fresh clone may not have it.
 */
export function openapiSpecPath(): string {
  const candidates = [process.env.HCLOUD_OPENAPI_SPEC, resolve(workspaceRoot, '../shared/hcloud/openapi.yml')];
  return candidates.find((path): path is string => !!path && existsSync(path)) ?? candidates[1]!;
}
