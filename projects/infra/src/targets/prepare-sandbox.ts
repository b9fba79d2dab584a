// prepare-sandbox — no Nx target: the layer plugin's pre-task hook starts it through the target
// runner (`node tools/nx-plugin/src/run-target.mjs projects/infra prepare-sandbox`) when the
// sandbox world's vault has no vars yet. It makes that vault ready (identity, secrets repo, operator
// vars) before Nx hashes any task, so that the first render's cache key already covers the vars it
// reads. Started from infra's bundle rather than through tsx: about 0.2 s instead of 1.1 s.
// Does nothing in the Hetzner world.
import { isCloudError } from '@personal-cloud/cluster';
import { openVault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import { ensureSandboxVars } from '../world/sandbox-vars';
import { worldKind } from '../world/world';

export async function run(): Promise<void> {
  if (worldKind() !== 'sandbox') return;
  try {
    await ensureSandboxVars(await openVault(vaultOptionsFromEnv(process.env, { sandbox: true })));
  } catch (error) {
    // The targets themselves will report it, with their context; this is only a head start.
    console.error(isCloudError(error) ? `sandbox vault: ${error.message}` : error);
  }
}
