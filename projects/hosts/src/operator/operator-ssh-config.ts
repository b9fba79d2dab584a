// `hosts:ssh-config`: writes the cluster's known_hosts (public host keys from the vault) to
// ~/.ssh/personal-cloud/<cluster>.known_hosts and prints `Host` entries that use it.
import { mkdir } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { lookupVar } from '@personal-cloud/cluster';
import { openSshPublicKeyOf, replaceFileAtomically } from '@personal-cloud/vault';
import { loadHostsInputs } from '../hosts-inputs';
import { hostKeyToken } from '../key-specs';
import { knownHostsText, sshConfigText, type SshConfigNode } from './ssh-config-text';

export interface OperatorSshConfigRun {
  env: NodeJS.ProcessEnv;
  identityFile?: string;
  knownHostsPath?: string;
  /** The config (stdout). */
  out: (text: string) => void;
  /** Where the known_hosts file went (stderr, so `> file` keeps only the config). */
  log: (text: string) => void;
}

export async function operatorSshConfig(run: OperatorSshConfigRun): Promise<void> {
  const { config, nodes, vault, vars } = await loadHostsInputs(run.env);
  const tokens = await vault.read('tokens');
  const home = run.env.HOME || homedir();
  const knownHostsPath = run.knownHostsPath ?? join(home, '.ssh', 'personal-cloud', `${config.name}.known_hosts`);
  const entries: SshConfigNode[] = nodes.map((node) => {
    const hostKey = tokens[hostKeyToken(node.name)];
    return {
      name: node.name,
      tailscaleName: node.hetznerName,
      hostPublicKey: hostKey ? openSshPublicKeyOf(hostKey) : null,
    };
  });
  await mkdir(dirname(knownHostsPath), { recursive: true, mode: 0o700 });
  await replaceFileAtomically(knownHostsPath, knownHostsText(entries), { mode: 0o644, keepBackup: false });
  const operatorPublicKey = lookupVar(vars, 'OPERATOR.ssh_public_key');
  run.out(
    sshConfigText({
      cluster: config.name,
      phase: config.phase,
      nodes: entries,
      knownHostsPath,
      identityFile: run.identityFile ?? '~/.ssh/id_ed25519',
      operatorPublicKey: operatorPublicKey === undefined ? null : String(operatorPublicKey),
    }),
  );
  run.log(`hosts: ${entries.filter((e) => e.hostPublicKey).length} host key(s) written to ${knownHostsPath}.\n`);
}
