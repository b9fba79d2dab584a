// The secret files nixos-anywhere copies onto a node (--extra-files): laid out as the node's root
// in the vault's secure temp folder (memory-backed, owner-only, removed on exit and on signals),
// filled from the vault's tokens. Only the names are in hosts.json; the contents never leave the
// vault but for this folder.
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { BUILDER_CLIENT_KEY_TOKEN } from '@personal-cloud/builder';
import { CloudError } from '@personal-cloud/cluster';
import type { SecureTempDir, Tokens } from '@personal-cloud/vault';
import { K3S_TOKEN } from '@personal-cloud/layer-kit';
import { hostKeyToken } from '../key-specs';
import { TAILSCALE_AUTH_KEY } from '../plan/tailscale-key';
import { SECRET_FILES } from '../render/extra-files';
import type { HostNode } from '../render/hosts-document';

/** The operator supplies these (and TAILSCALE_AUTH_KEY); `vault:keys` cannot make them. */
export const ETCD_S3_ACCESS_KEY_ID = 'ETCD_S3_ACCESS_KEY_ID';
export const ETCD_S3_SECRET_ACCESS_KEY = 'ETCD_S3_SECRET_ACCESS_KEY';

/** Each extra file's content, by its path on the node. */
function contents(node: HostNode, tokens: Tokens): Record<string, () => string> {
  const token = (name: string, what: string) => {
    const value = tokens[name];
    if (!value)
      throw new CloudError(
        `the vault's tokens lack ${name} (${what}) that ${node.name} needs; add it with \`npm run state -- edit tokens\`, nothing was installed.`,
      );
    return value;
  };
  return {
    [SECRET_FILES.hostKey]: () =>
      token(hostKeyToken(node.name), `${node.name}'s SSH host key; \`npx nx run vault:keys\` makes it`),
    [SECRET_FILES.k3sToken]: () => token(K3S_TOKEN, 'the k3s cluster token; `npx nx run vault:keys` makes it'),
    [SECRET_FILES.tailscaleAuthKey]: () =>
      token(TAILSCALE_AUTH_KEY, 'a Tailscale auth key, or one minted by your OAuth client'),
    [SECRET_FILES.etcdS3Credentials]: () =>
      `AWS_ACCESS_KEY_ID=${token(ETCD_S3_ACCESS_KEY_ID, 'the cold tier access key for etcd snapshots')}\nAWS_SECRET_ACCESS_KEY=${token(ETCD_S3_SECRET_ACCESS_KEY, 'its secret key')}\n`,
    [SECRET_FILES.builderClientKey]: () =>
      token(
        BUILDER_CLIENT_KEY_TOKEN,
        "the builder client key, the node's login to Oxygen; `npx nx run vault:keys` makes it",
      ),
  };
}

/** Writes `node`'s extra files under `<secure dir>/extra-<node>/` and returns that folder. */
export async function writeExtraFiles(dir: SecureTempDir, node: HostNode, tokens: Tokens): Promise<string> {
  const root = `extra-${node.name}`;
  const byPath = contents(node, tokens);
  // Every content first: a missing token stops the run before any file is written.
  const files = node.extraFiles.map((relative) => {
    const make = byPath[`/${relative}`];
    if (!make)
      throw new CloudError(
        `hosts.json lists an extra file ${relative} for ${node.name} that the hosts layer does not know how to fill.`,
      );
    return { relative, text: make() };
  });
  for (const { relative, text } of files) {
    await mkdir(join(dir.path, root, dirname(relative)), { recursive: true, mode: 0o700 });
    await dir.writeFile(join(root, relative), text);
  }
  return join(dir.path, root);
}

/**
 * The shell script a rebuild runs on the node to put the extra files in place (nixos-rebuild has
 * no --extra-files): a node installed before a file existed, such as the builder client key
 * before Oxygen built, gets it on its next rebuild. Each file travels as base64, so no content is
 * read as shell, and lands with mode 0600 under `root` (tests point it at a folder).
 */
export async function extraFilesScript(extraFilesDir: string, root = ''): Promise<string> {
  const entries = await readdir(extraFilesDir, { recursive: true, withFileTypes: true });
  const lines = ['set -e', 'umask 077'];
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    const content = (await readFile(path)).toString('base64');
    const target = `${root}/${relative(extraFilesDir, path)}`;
    lines.push(`printf %s '${content}' | base64 -d | install -D -m 0600 /dev/stdin '${target}'`);
  }
  return lines.join('\n');
}
