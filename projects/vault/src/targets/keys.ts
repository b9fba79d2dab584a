// vault:keys — the one step that generates every key the layers need (k3s token, host keys, …)
// into the vault's tokens, before any layer renders: the Nx plugin runs it before hashing any run
// that reaches a layer, and `nx run vault:keys` runs it alone. Writes only what is missing; when
// every key is there it writes no document, so no fingerprint or cache key changes. It then notes
// that the keys are complete (keys-index.ts), so the plugin's next check costs no decryption.
import { resolve } from 'node:path';
import { configPath, loadClusterConfig } from '@personal-cloud/cluster';
import { collectKeySpecs } from '../keys/collect-key-specs';
import { ensureKeys } from '../keys/ensure-keys';
import { recordKeysComplete } from '../keys/keys-index';
import { openVault } from '../vault';
import { vaultOptionsFromEnv } from '../vault-options';

export async function run(): Promise<void> {
  const config = await loadClusterConfig(configPath(process.env));
  const layers = await collectKeySpecs(resolve('projects'), config);
  // The vault exists by now: the Nx plugin prepares the sandbox's before any task, and against
  // Hetzner `npm run state -- init` makes it; a missing one is reported, never created here.
  const options = vaultOptionsFromEnv(process.env, { sandbox: false });
  const vault = await openVault(options);
  const specs = layers.flatMap((layer) => layer.specs);
  const { generated, publicVars, total } = await ensureKeys(vault, specs);
  recordKeysComplete(process.cwd(), options.dir, process.env, {
    tokens: specs.map((spec) => spec.token),
    publicVars: specs.flatMap((spec) => (spec.publicHalf ? [spec.publicHalf.varPath] : [])),
  });
  const from = layers.map((l) => `${l.project} ${l.specs.length}`).join(', ');
  if (!generated.length && !publicVars.length)
    console.log(`keys: all ${total} key(s) present (${from}); nothing written.`);
  if (generated.length) {
    console.log(`keys: generated ${generated.length} of ${total} key(s) into the vault's tokens:`);
    for (const spec of generated) console.log(`  ${spec.token.padEnd(28)} ${spec.purpose}`);
  }
  if (publicVars.length) console.log(`keys: public halves written to vars: ${publicVars.join(', ')}.`);
}
