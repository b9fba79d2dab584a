// `tsx projects/infra/src/world/prepare-sandbox-cli.ts`: makes the sandbox world's vault ready
// (identity, secrets repo, operator vars) before Nx hashes any task, so that the first render's
// cache key already covers the vars it reads. Does nothing in the Hetzner world.
import { isCloudError } from '@personal-cloud/cluster';
import { openVault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { ensureSandboxVars } from './sandbox-vars';
import { worldKind } from './world';

if (worldKind() === 'sandbox') {
  try {
    await ensureSandboxVars(await openVault(vaultOptionsFromEnv(process.env, { sandbox: true })));
  } catch (error) {
    // The targets themselves will report it, with their context; this is only a head start.
    console.error(isCloudError(error) ? `sandbox vault: ${error.message}` : error);
  }
}
