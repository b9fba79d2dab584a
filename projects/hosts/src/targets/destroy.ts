// hosts:destroy — after k8s-apps' destroy and before the builder's and infra's: every node that
// answers leaves the tailnet, and hosts forgets its state and the kubeconfig in the vault. What it
// cannot do is named; it never fails the teardown below it once the destroy is confirmed.
import { confirmDestroy, loadClusterConfig, type TargetArgs } from '@personal-cloud/cluster';
import { destroyHosts, formatDestroyHosts } from '../destroy/destroy-hosts';

export const options = { yes: { type: 'boolean' } } as const;

export async function run({ values }: TargetArgs): Promise<void> {
  const { name } = await loadClusterConfig();
  await confirmDestroy(name, "every node's place in the tailnet and hosts' state", values.yes);
  const result = await destroyHosts({ env: process.env });
  for (const line of formatDestroyHosts(result)) console.log(line);
}
