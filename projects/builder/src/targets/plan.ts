// builder:plan — what provision would do to Oxygen (set up, update, join, hand over, hand back,
// nothing), from what render made and what Oxygen answers; written to dist/builder/plan.json and
// printed. An Oxygen that does not answer is one line in the plan, never a failure.
import { mkdir, writeFile } from 'node:fs/promises';
import { openWorld } from '@personal-cloud/infra';
import { loadBuilderInputs } from '../builder-inputs';
import { builderKeys } from '../keys/builder-keys';
import { formatOxygenPlan, planOxygen } from '../plan/plan-oxygen';
import { chooseOxygenExecutor, chooseOxygenSystem } from '../provision/choose-oxygen-executor';
import { OxygenStepError, type OxygenProbe } from '../provision/oxygen-executor';
import { readBuilderFacts } from '../render/builder-facts';
import { CACHE_APP } from '../render/builder-settings';
import { cacheUrlOf } from '../render/render-builder';
import { renderedGeneration } from './status';
import { RENDER_DIR } from './render';

export const PLAN_JSON = 'dist/builder/plan.json';

export async function run(): Promise<void> {
  const { config, vault, vars } = await loadBuilderInputs();
  const oxygen = config.oxygen;
  await mkdir('dist/builder', { recursive: true });
  if (!oxygen?.enabled) {
    await writeFile(PLAN_JSON, `${JSON.stringify({ oxygen: null, actions: [] }, null, 2)}\n`);
    console.log('builder: no changes: oxygen is not enabled in the config.');
    return;
  }
  const tokens = await vault.read('tokens');
  const facts = readBuilderFacts(builderKeys(config.name), vars).facts;
  const world = await openWorld();
  const executor = chooseOxygenExecutor(world, vars, tokens);
  let probe: OxygenProbe | { unreachable: string };
  let nixos;
  try {
    nixos = await chooseOxygenSystem(world, vars, RENDER_DIR);
    probe = await executor.probe({ name: oxygen.hostname, sshAddress: oxygen.hostname, tailscaleIp: facts?.oxygenTailscaleIp ?? '' });
  } catch (error) {
    if (!(error instanceof OxygenStepError) || error.reason !== 'unreachable') throw error;
    probe = { unreachable: error.message.replace(/\.$/, '') };
  } finally {
    await executor.close();
    await world.close();
  }
  const cacheApp = config.apps.some((a) => a.name === CACHE_APP && a.host);
  const plan = planOxygen({
    name: oxygen.hostname,
    probe,
    roles: oxygen.roles,
    managedBy: oxygen.builder.managedBy,
    deployedAs: nixos ? 'its NixOS module with nixos-rebuild switch' : 'the plain files and their commands',
    wantedGeneration: await renderedGeneration({
      cluster: config.name,
      tokens,
      builder: oxygen.roles.includes('builder') ? oxygen.builder : null,
      cacheUrl: cacheApp ? cacheUrlOf(config) : '',
      hostname: oxygen.hostname,
      nixos: nixos ?? null,
    }),
  });
  await writeFile(PLAN_JSON, `${JSON.stringify(plan, null, 2)}\n`);
  console.log(formatOxygenPlan(plan));
}
