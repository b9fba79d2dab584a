// vault:keys — the one step that generates every key the layers need (k3s token, host keys, …)
// into the vault's tokens, before any layer renders. Writes only what is missing; when every key
// is there it writes nothing, so no fingerprint or cache key changes.
import { resolve } from 'node:path';
import { configPath, loadClusterConfig } from '@personal-cloud/cluster';
import { collectKeySpecs } from '../keys/collect-key-specs';
import { ensureKeys } from '../keys/ensure-keys';
import { openVault } from '../vault';
import { vaultOptionsFromEnv } from '../vault-options';

export async function run(): Promise<void> {
  const config = await loadClusterConfig(configPath(process.env));
  const layers = await collectKeySpecs(resolve('projects'), config);
  // The vault exists by now: the Nx plugin prepares the sandbox's before any task, and against
  // Hetzner `npm run state -- init` makes it; a missing one is reported, never created here.
  const vault = await openVault(vaultOptionsFromEnv(process.env, { sandbox: false }));
  const { generated, total } = await ensureKeys(
    vault,
    layers.flatMap((layer) => layer.specs),
  );
  const from = layers.map((l) => `${l.project} ${l.specs.length}`).join(', ');
  if (!generated.length) console.log(`keys: all ${total} key(s) present (${from}); nothing written.`);
  else {
    console.log(`keys: generated ${generated.length} of ${total} key(s) into the vault's tokens:`);
    for (const spec of generated) console.log(`  ${spec.token.padEnd(28)} ${spec.purpose}`);
  }
}
