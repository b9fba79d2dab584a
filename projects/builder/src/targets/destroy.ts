// builder:destroy — runs after the layers built on the builder (hosts, k8s-apps) and before
// infra's. Confirmed once for the run (--yes or CLOUD_CONFIRM_DESTROY), like every layer's
// destroy. Tears down on Oxygen what provision set up, keeps /nix's volume unless --purge-store,
// and deletes Oxygen's Node object through a k3s server; what does not answer is skipped with a line.
import { confirmDestroy, lookupVar, type TargetArgs } from '@personal-cloud/cluster';
import { openWorld } from '@personal-cloud/infra';
import { loadBuilderInputs } from '../builder-inputs';
import { destroyOxygen } from '../destroy/destroy-oxygen';
import { builderKeys } from '../keys/builder-keys';
import { chooseNodeRemover, chooseOxygenExecutor } from '../provision/choose-oxygen-executor';
import { readBuilderFacts } from '../render/builder-facts';

export const options = { yes: { type: 'boolean' }, 'purge-store': { type: 'boolean' } } as const;

export async function run({ values }: TargetArgs): Promise<void> {
  const { config, nodes, vault, vars } = await loadBuilderInputs();
  const oxygen = config.oxygen;
  if (!oxygen?.enabled) {
    console.log('builder: oxygen is not enabled in the config; nothing to destroy.');
    return;
  }
  await confirmDestroy(config.name, `what the builder set up on ${oxygen.hostname}`, values.yes);
  const tokens = await vault.read('tokens');
  const facts = readBuilderFacts(builderKeys(config.name), vars).facts;
  const world = await openWorld();
  const executor = chooseOxygenExecutor(world, vars, tokens);
  const remover = chooseNodeRemover(world, tokens);
  const servers = nodes
    .filter((n) => n.k3s.role === 'server')
    .map((n) => ({ name: n.name, serverId: Number(lookupVar(vars, `CLUSTER.${n.varsKey}.hetzner_id`) ?? NaN) }))
    .filter((s) => Number.isInteger(s.serverId));
  try {
    await destroyOxygen(
      executor,
      remover,
      {
        target: { name: oxygen.hostname, sshAddress: oxygen.hostname, tailscaleIp: facts?.oxygenTailscaleIp ?? '' },
        purgeStore: values['purge-store'] === true,
        worker: oxygen.roles.includes('worker'),
        servers,
      },
      (line) => console.log(line),
    );
  } finally {
    await executor.close();
    await world.close();
  }
}
