// `tsx tools/nx-plugin/src/confirm-destroy-cli.ts`: the one question a destroy run asks,
// from the plugin's pre-task hook. On a yes it writes the cluster's name to fd 3, and the hook
// hands it to every layer's destroy as CLOUD_CONFIRM_DESTROY; otherwise it names why and exits 1.
import { writeSync } from 'node:fs';
import { askToConfirmDestroy, isCloudError, loadClusterConfig } from '@personal-cloud/cluster';

try {
  const { name } = await loadClusterConfig();
  await askToConfirmDestroy(name, 'every layer and every Hetzner resource');
  writeSync(3, name);
} catch (error) {
  console.error(isCloudError(error) ? `error: ${error.message}` : error);
  process.exit(1);
}
