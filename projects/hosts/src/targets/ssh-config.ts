// hosts:ssh-config — prints `Host` entries for every node (Tailscale name, root, the operator's key,
// the host key from the vault through a per-cluster known_hosts file, which it writes).
import type { TargetArgs } from '@personal-cloud/cluster';
import { operatorSshConfig } from '../operator/operator-ssh-config';

export const options = { 'identity-file': { type: 'string' }, 'known-hosts': { type: 'string' } } as const;

export async function run({ values }: TargetArgs): Promise<void> {
  await operatorSshConfig({
    env: process.env,
    identityFile: values['identity-file'] === undefined ? undefined : String(values['identity-file']),
    knownHostsPath: values['known-hosts'] === undefined ? undefined : String(values['known-hosts']),
    out: (text) => process.stdout.write(text),
    log: (text) => process.stderr.write(text),
  });
}
