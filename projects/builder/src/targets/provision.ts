// builder:provision — puts what render made on Oxygen (the builder container, the k3s agent) when
// Oxygen runs another generation; says so in one line and changes nothing when Oxygen does not
// answer. Runs after check, and before hosts: the hosts' first builds may use Oxygen.
import pc from 'picocolors';
import { CloudError } from '@personal-cloud/cluster';
import { openWorld } from '@personal-cloud/infra';
import { loadBuilderInputs } from '../builder-inputs';
import { readBuilderFacts } from '../render/builder-facts';
import { builderKeys } from '../keys/builder-keys';
import { chooseOxygenExecutor, chooseOxygenSystem } from '../provision/choose-oxygen-executor';
import { oxygenDeployment } from '../provision/oxygen-deployment';
import { provisionOxygen } from '../provision/provision-oxygen';
import { handOverIfPlanned } from '../provision/hand-over';
import { cacheUrlOf } from '../render/render-builder';
import { readRendered, RENDER_DIR } from './render';
import { K3S_TOKEN } from '@personal-cloud/layer-kit';

export async function run(): Promise<void> {
  const { config, vault, vars } = await loadBuilderInputs();
  const oxygen = config.oxygen;
  if (!oxygen?.enabled) {
    console.log('builder: oxygen is not enabled in the config; nothing to provision.');
    return;
  }
  const { manifest, files: rendered } = await readRendered();
  const facts = readBuilderFacts(builderKeys(config.name), vars).facts;
  if (!facts || manifest.missingVars.length)
    throw new CloudError(
      `${RENDER_DIR} is not complete: run \`npx nx run builder:check\`, which says what is missing.`,
    );
  const tokens = await vault.read('tokens');
  const world = await openWorld();
  const executor = chooseOxygenExecutor(world, vars, tokens);
  try {
    const cacheUrl = cacheUrlOf(config);
    const deployment = oxygenDeployment({
      cluster: config.name,
      rendered,
      tokens,
      builder: oxygen.roles.includes('builder') ? oxygen.builder : null,
      k3sTokenName: K3S_TOKEN,
      cacheUrl,
      hostname: oxygen.hostname,
      nixos: await chooseOxygenSystem(world, vars, RENDER_DIR),
    });
    const target = { name: oxygen.hostname, sshAddress: oxygen.hostname, tailscaleIp: facts.oxygenTailscaleIp };
    const handover = {
      managedBy: oxygen.builder.managedBy,
      roles: oxygen.roles,
      rendered,
      files: deployment.files,
      wantedGeneration: deployment.generation,
      log: (line: string) => console.log(line),
    };
    const builds = oxygen.roles.includes('builder');
    // The way back first when a deploy would restart the unit under a running workload.
    if (builds && (await handOverIfPlanned(executor, target, { ...handover, when: 'before-deploy' })) === 'failed') {
      console.log(pc.red(`builder: ✗ ${oxygen.hostname} was not deployed: its workload still runs on the store.`));
      return;
    }
    const outcome = await provisionOxygen(executor, target, deployment, (line) => console.log(line));
    // The cache loop, after a deploy: a red line when it does not work, never a failed run. A run
    // that changes nothing asks nothing more (status says whether the cache answers and pushes).
    if (outcome === 'deployed' && oxygen.roles.includes('builder')) {
      const keyName = builderKeys(config.name).cacheSigningKey.name;
      const lines = await executor.checkCache(target, { cacheUrl, keyName, generation: deployment.generation });
      for (const line of lines) console.log(line.ok ? `builder: ✓ ${line.text}` : pc.red(`builder: ✗ ${line.text}`));
    }
    if (outcome !== 'unreachable' && builds)
      await handOverIfPlanned(executor, target, { ...handover, when: 'after-deploy' });
  } finally {
    await executor.close();
    await world.close();
  }
}
