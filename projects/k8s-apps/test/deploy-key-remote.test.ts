// The Hetzner world's GitOps remote: git over SSH with the vault's deploy key, written only into the
// vault's secure temp folder (mode 0600) with a known_hosts of the operator's entry, checked
// strictly, and removed on close; a missing key or host entry is one sentence.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOpenSshKeyPair } from '@personal-cloud/vault';
import { DeployKeyRemote } from '../src/gitops/deploy-key-remote';

const URL = 'ssh://git@github.com/personal-cloud/gitops.git';
const HOST = 'github.com ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl';

describe('DeployKeyRemote', () => {
  it('hands git an SSH command naming the key and known_hosts files, which close removes', async () => {
    const key = generateOpenSshKeyPair('flux@test').privateKey;
    const remote = new DeployKeyRemote(URL, { GITOPS_DEPLOY_KEY: key, GITOPS_KNOWN_HOSTS: HOST });
    const world = await remote.remote('main');
    expect(world).toMatchObject({ url: URL, branch: 'main', knownHosts: `${HOST}\n` });
    const command = world.env!.GIT_SSH_COMMAND!;
    const [, identity] = /-i '([^']+)'/.exec(command)!;
    const [, hosts] = /UserKnownHostsFile='([^']+)'/.exec(command)!;
    expect(command).toContain('-o IdentitiesOnly=yes');
    expect(command).toContain('-o StrictHostKeyChecking=yes');
    expect(statSync(identity!).mode & 0o777).toBe(0o600);
    expect(readFileSync(identity!, 'utf8')).toContain('BEGIN OPENSSH PRIVATE KEY');
    expect(readFileSync(hosts!, 'utf8')).toBe(`${HOST}\n`);
    // A second call (plan, then provision) reuses the files.
    expect((await remote.remote('main')).env).toEqual(world.env);
    await remote.close();
    expect(existsSync(identity!)).toBe(false);
  });

  it('names a missing host entry, and needs nothing for a file:// remote', async () => {
    await expect(new DeployKeyRemote(URL, { GITOPS_DEPLOY_KEY: 'k' }).remote('main')).rejects.toThrow(
      "the vault's tokens lack GITOPS_KNOWN_HOSTS (the git host's key as `ssh-keyscan` prints it; enter it with `npm run state -- edit tokens`), which reaching ssh://git@github.com/personal-cloud/gitops.git over SSH needs; nothing was pushed.",
    );
    expect(await new DeployKeyRemote('file:///srv/gitops.git', {}).remote('main')).toEqual({
      url: 'file:///srv/gitops.git',
      branch: 'main',
      knownHosts: '',
    });
  });
});
