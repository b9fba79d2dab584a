// hosts:check — what render made and the Nix that reads it, with the field's own tools; says
// which checks ran and which could not (and why).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { checkRenderedHosts } from '../check/check-rendered-hosts';
import { loadHostsInputs } from '../hosts-inputs';
import type { HostsDocument } from '../render/hosts-document';
import { HOSTS_JSON } from './render';

export async function run(): Promise<void> {
  const document = JSON.parse(await readFile(HOSTS_JSON, 'utf8')) as HostsDocument;
  const { vault } = await loadHostsInputs(process.env, 'slice');
  await checkRenderedHosts({
    document,
    hostsFile: resolve(HOSTS_JSON),
    tokens: await vault.read('tokens'),
    log: console.log,
  });
}
