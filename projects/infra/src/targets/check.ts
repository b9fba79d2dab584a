// infra:check — what render made, against Hetzner's limits and formats, before any API call.
import { readFile } from 'node:fs/promises';
import { CloudError, type DesiredResource } from '@personal-cloud/cluster';
import { checkDesired } from '../reconcile/check-desired';
import { RENDERED } from './render';

export async function run(): Promise<void> {
  const rendered = JSON.parse(await readFile(RENDERED, 'utf8')) as { resources: DesiredResource[] };
  const problems = checkDesired(rendered.resources);
  if (problems.length)
    throw new CloudError(`${RENDERED} breaks Hetzner's rules:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  console.log(`infra: ${rendered.resources.length} resources within Hetzner's names, labels and limits.`);
}
