// k8s-apps:plan — the render against what the GitOps repository holds, object by object (added,
// changed, removed); written to dist/k8s-apps/plan.json and printed like the infra plan.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { planK8sApps } from '../provision/provision-k8s-apps';
import { formatGitopsPlan } from '../ui/format-gitops-plan';

export const PLAN_FILE = 'dist/k8s-apps/plan.json';

export async function run(): Promise<void> {
  const { plan, remoteUrl } = await planK8sApps();
  await mkdir(dirname(PLAN_FILE), { recursive: true });
  await writeFile(PLAN_FILE, `${JSON.stringify({ remote: remoteUrl, ...plan }, null, 2)}\n`);
  console.log(formatGitopsPlan(plan, remoteUrl));
}
