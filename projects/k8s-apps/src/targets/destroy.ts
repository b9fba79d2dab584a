// k8s-apps:destroy — the first of the layers' destroys (k8s-apps → hosts → builder → infra): asks
// once like the others, deletes nothing itself, and says what outlives the cloud (see destroy-k8s-apps.ts).
import { confirmDestroy, type TargetArgs } from '@personal-cloud/cluster';
import { worldKind } from '@personal-cloud/infra';
import { destroyK8sAppsLines } from '../destroy/destroy-k8s-apps';
import { loadConfig } from '../k8s-apps-inputs';
import { renderTree } from '../render/render-tree';

export const options = { yes: { type: 'boolean' } } as const;

export async function run({ values }: TargetArgs): Promise<void> {
  const config = await loadConfig();
  await confirmDestroy(config.name, 'every app', values.yes);
  for (const line of destroyK8sAppsLines(config, renderTree(config), worldKind(process.env))) console.log(line);
}
