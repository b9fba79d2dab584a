// builder:plan — what provision would do to Oxygen (set up, update, join, hand over, hand back,
// nothing), from what render made and what Oxygen answers; written to dist/builder/plan.json and
// printed. An Oxygen that does not answer is one line in the plan, never a failure.
import { mkdir, writeFile } from 'node:fs/promises';
import { loadBuilderInputs } from '../builder-inputs';
import { formatOxygenPlan, planOxygen } from '../plan/plan-oxygen';
import { readOxygen } from './read-oxygen';

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
  const { probe, wantedGeneration, nixos } = await readOxygen({ ...config, oxygen }, vars, await vault.read('tokens'));
  const plan = planOxygen({
    name: oxygen.hostname,
    probe,
    roles: oxygen.roles,
    managedBy: oxygen.builder.managedBy,
    deployedAs: nixos ? 'its NixOS module with nixos-rebuild switch' : 'the plain files and their commands',
    wantedGeneration,
  });
  await writeFile(PLAN_JSON, `${JSON.stringify(plan, null, 2)}\n`);
  console.log(formatOxygenPlan(plan));
}
