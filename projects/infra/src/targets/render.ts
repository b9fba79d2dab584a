// infra:render — the Hetzner resources the configured phase needs, resolved, under dist/infra/render.
import { mkdir, writeFile } from 'node:fs/promises';
import { RESOURCE_TYPES } from '@personal-cloud/cluster';
import { loadInfraInputs } from '../infra-inputs';

export const RENDERED = 'dist/infra/render/desired.json';

export async function run(): Promise<void> {
  const { config, desired } = await loadInfraInputs(process.env, 'slice');
  await mkdir('dist/infra/render', { recursive: true });
  await writeFile(
    RENDERED,
    `${JSON.stringify({ cluster: config.name, phase: config.phase, resources: desired }, null, 2)}\n`,
  );
  const counts = RESOURCE_TYPES.map((type) => `${desired.filter((d) => d.type === type).length} ${type}`).join(', ');
  console.log(`infra: phase ${config.phase} of ${config.name} needs ${counts}`);
}
