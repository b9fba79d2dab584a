// Prints a hash of the config file that $CLOUD_CONFIG names, for Nx to hash as a runtime input:
// the `clusterConfig` file input covers only the workspace's own cluster.config.ts.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const file = process.env.CLOUD_CONFIG;
let content = 'default';
if (file) {
  try {
    content = readFileSync(resolve(file), 'utf8');
  } catch {
    content = 'absent';
  }
}
console.log(
  createHash('sha256')
    .update(`${file ?? ''}\0${content}`)
    .digest('hex'),
);
