// A node's generation: the hash of everything its NixOS configuration is made from (its entry in
// hosts.json, the cluster-wide k3s settings and the Nix sources). Provision records it after a
// successful deploy; an equal hash means the node is skipped.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { HostNode, HostsDocument } from '../render/hosts-document';

/**
 * The join fields are left out: which member a node joins through matters only when k3s first
 * starts (it ignores them once it has data), and it shifts as members are recorded, which must
 * not make every node look changed.
 */
export function nodeGeneration(document: HostsDocument, node: HostNode, nixSources: string): string {
  const { bootstrap: _bootstrap, serverAddr: _serverAddr, ...k3s } = node.k3s;
  const input = JSON.stringify({
    version: document.version,
    cluster: document.cluster,
    k3sVersion: document.k3s.version,
    node: { ...node, k3s },
    nixSources,
  });
  return createHash('sha256').update(input).digest('hex').slice(0, 32);
}

/** One hash over every file of the Nix sources (paths and contents, in path order). */
export async function nixSourcesHash(nixDir: string): Promise<string> {
  const hash = createHash('sha256');
  const files = (await readdir(nixDir, { recursive: true, withFileTypes: true }))
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  for (const file of files)
    hash
      .update(`${relative(nixDir, file)}\0`)
      .update(await readFile(file))
      .update('\0');
  return hash.digest('hex');
}
