// k8s-apps:destroy — the first of the layers' destroys (k8s-apps → hosts → builder → infra): asks
// once like the others, deletes nothing itself, and says what outlives the cloud (see destroy-k8s-apps.ts).
import { confirmDestroy, type TargetArgs } from '@personal-cloud/cluster';
import { openWorld } from '@personal-cloud/infra';
import { destroyK8sAppsLines } from '../destroy/destroy-k8s-apps';
import { loadConfig } from '../k8s-apps-inputs';
import { renderTree } from '../render/render-tree';

export const options = { yes: { type: 'boolean' } } as const;

export async function run({ values }: TargetArgs): Promise<void> {
  const config = await loadConfig();
  await confirmDestroy(config.name, 'every app', values.yes);
  for (const line of destroyK8sAppsLines(config, renderTree(config), await worldOf(process.env))) console.log(line);
}

/** Which world the pushes went to (the endpoint decides, as for every layer); Hetzner's when it cannot tell. */
async function worldOf(env: NodeJS.ProcessEnv): Promise<'sandbox' | 'hetzner'> {
  try {
    const world = await openWorld(env);
    await world.close();
    return world.kind;
  } catch {
    return 'hetzner';
  }
}
