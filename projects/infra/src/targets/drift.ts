// infra:drift — what changed in Hetzner outside personal-cloud, and what is merely pending.
import pc from 'picocolors';
import { readInfraState } from '../state/infra-state';
import { withHcloud } from '../hcloud-session';
import { loadInfraInputs } from '../infra-inputs';
import { driftReport, type DriftKind } from '../reconcile/drift';
import { listCluster } from '../reconcile/list-cluster';
import { observe } from '../reconcile/observed';

const TITLES: Record<DriftKind, string> = {
  'changed-outside': 'changed outside personal-cloud',
  'deleted-outside': 'deleted outside personal-cloud',
  'replaced-outside': 'replaced outside personal-cloud',
  'created-outside': 'created outside personal-cloud',
  pending: 'pending: the config changed since the last provision',
};

export async function run(): Promise<void> {
  const { config, vault, desired } = await loadInfraInputs();
  const state = readInfraState(await vault.read('state'));
  const observed = await withHcloud(process.env, async (client) => observe(await listCluster(client, config.name)));
  const entries = driftReport(desired, observed, state);
  const outside = entries.filter((e) => e.kind !== 'pending');
  for (const kind of Object.keys(TITLES) as DriftKind[]) {
    const group = entries.filter((e) => e.kind === kind);
    if (!group.length) continue;
    console.log(pc.bold(TITLES[kind]));
    for (const e of group) console.log(`  ${e.key}: ${e.detail}`);
  }
  console.log(
    outside.length
      ? `${outside.length} change(s) made outside personal-cloud; \`nx run infra:provision\` puts them back as the config says.`
      : `No drift: the cloud is as personal-cloud left it${entries.length ? ` (${entries.length} pending change(s))` : ''}.`,
  );
}
