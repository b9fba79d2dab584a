// k8s-apps:restore --app=<name> [--as-of=<RFC 3339 time>] [--in-place] — restores an app's backed-up
// claims with VolSync: into the scratch namespace <app>-restore by default, or over the app's own
// claims with --in-place; waits, and reports what was restored and how long it took.
import { CloudError, type TargetArgs } from '@personal-cloud/cluster';
import { restoreApp } from '../restore/run-restore';

export const options = {
  app: { type: 'string' },
  'as-of': { type: 'string' },
  'in-place': { type: 'boolean' },
} as const;

export async function run({ values }: TargetArgs): Promise<void> {
  const app = values.app;
  if (typeof app !== 'string' || !app)
    throw new CloudError('k8s-apps:restore needs --app=<name>, an app with a backup.');
  const clock = { now: Date.now, sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)) };
  const asOf = typeof values['as-of'] === 'string' ? values['as-of'] : null;
  const result = await restoreApp({ clock, request: { app, asOf, inPlace: values['in-place'] === true } });
  for (const r of result.restored)
    console.log(`k8s-apps: restored ${app}'s claim ${r.claim} (${r.capacity}) into ${r.namespace}: ${r.message}.`);
  console.log(
    `k8s-apps: ${result.restored.length} claim${result.restored.length === 1 ? '' : 's'} of ${app} restored ${asOf ? `as of ${asOf}` : 'from the newest snapshot'} in ${(result.durationMs / 1000).toFixed(1)} s.`,
  );
}
