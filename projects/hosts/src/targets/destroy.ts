// hosts:destroy — after k8s-apps' destroy and before the builder's and infra's: every node that
// answers leaves the tailnet, and hosts forgets its state and the kubeconfig in the vault. What it
// cannot do is named; it never fails the teardown below it once the destroy is confirmed.
import { askToConfirmDestroy, destroyConfirmed, loadClusterConfig, type TargetArgs } from '@personal-cloud/cluster';
import { destroyHosts, formatDestroyHosts } from '../destroy/destroy-hosts';

export const options = { yes: { type: 'boolean' } } as const;

export async function run({ values }: TargetArgs): Promise<void> {
  const { name } = await loadClusterConfig();
  if (!destroyConfirmed(name, values.yes, process.env))
    await askToConfirmDestroy(name, "every node's place in the tailnet and hosts' state");
  const result = await destroyHosts({ env: process.env });
  for (const line of formatDestroyHosts(result)) console.log(line);
}
