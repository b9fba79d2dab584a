// infra:plan — desired against what the API reports; dist/infra/plan.json and a readable diff.
import { mkdir, writeFile } from 'node:fs/promises';
import type { TargetArgs } from '@personal-cloud/cluster';
import { withHcloud } from '../hcloud-session';
import { loadInfraInputs } from '../infra-inputs';
import { blockedChanges } from '../reconcile/guards';
import { listCluster } from '../reconcile/list-cluster';
import { observe } from '../reconcile/observed';
import { planChanges } from '../reconcile/plan-changes';
import { planDocument, type Plan } from '../reconcile/plan-types';
import { readInfraState } from '../state/infra-state';
import { formatPlan } from '../ui/format-plan';

export const options = { prune: { type: 'boolean' } } as const;

export async function writePlan(plan: Plan): Promise<void> {
  await mkdir('dist/infra', { recursive: true });
  await writeFile('dist/infra/plan.json', `${JSON.stringify(planDocument(plan), null, 2)}\n`);
}

export async function run({ values }: TargetArgs): Promise<void> {
  const { config, vault, desired } = await loadInfraInputs(process.env, 'slice');
  // Read what provision will read: a damaged state fails the plan as it would fail the run.
  readInfraState(await vault.read('state'));
  const plan = await withHcloud(process.env, async (client) =>
    planChanges(desired, observe(await listCluster(client, config.name)), { prune: values.prune === true }),
  );
  await writePlan(plan);
  console.log(formatPlan(plan));
  const blocked = blockedChanges(plan, config.name, []);
  if (blocked.length)
    console.log(
      `provision will refuse ${blocked.length} change(s) that destroy data unless named with --allow-destroy.`,
    );
}
