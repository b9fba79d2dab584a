// hosts:render — dist/hosts/render/hosts.json, the data every node's NixOS is made from.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadHostsInputs } from '../hosts-inputs';
import { missingVarsSentence } from '../render/node-vars';
import { renderHosts } from '../render/render-hosts';

export const RENDER_DIR = 'dist/hosts/render';
export const HOSTS_JSON = `${RENDER_DIR}/hosts.json`;

export async function run(): Promise<void> {
  const document = renderHosts(await loadHostsInputs(process.env, 'slice'));
  await mkdir(dirname(HOSTS_JSON), { recursive: true });
  await writeFile(HOSTS_JSON, `${JSON.stringify(document, null, 2)}\n`);
  const nodes = Object.values(document.nodes);
  const servers = nodes.filter((n) => n.k3s.role === 'server').length;
  const start = document.k3s.bootstrapNode
    ? `${document.k3s.bootstrapNode} starts the cluster`
    : 'every node joins the running cluster';
  console.log(
    `hosts: phase ${document.phase} of ${document.cluster}: ${nodes.length} node(s), ${servers} k3s server(s), k3s ${document.k3s.version}; ${start}.`,
  );
  for (const node of nodes)
    console.log(`  ${node.name.padEnd(12)} k3s ${node.k3s.role.padEnd(6)} extra files: ${node.extraFiles.join(', ')}`);
  if (!nodes.length && document.pending.length)
    console.log(
      `hosts: none of the ${document.pending.length} server(s) of phase ${document.phase} exists yet, so no node was rendered: \`npx nx run infra:provision\` creates them.`,
    );
  else if (document.pending.length)
    console.log(
      `hosts: not rendered yet: ${document.pending.map((p) => p.node).join(', ')}; ${missingVarsSentence(document.pending.flatMap((p) => p.missingVars))}`,
    );
}
