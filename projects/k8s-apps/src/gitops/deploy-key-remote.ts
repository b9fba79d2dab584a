// The GitOps repository of the Hetzner world: the config's URL, read and pushed with the deploy key
// from the vault. git over SSH needs the key as a file, so it goes into the vault's secure temp
// folder (in memory where the system allows, removed when the run ends), with a known_hosts file
// holding only the operator's entry for the git host, checked strictly.
import { CloudError } from '@personal-cloud/cluster';
import { createSecureTempDir, toOpenSshPrivateKey, type SecureTempDir } from '@personal-cloud/vault';
import type { WorldGitopsRemote } from '../cluster/cluster-api';
import { GITOPS_DEPLOY_KEY } from '../key-specs';

/** The git host's known_hosts line(s), entered by the operator (`ssh-keyscan <host>`). */
export const GITOPS_KNOWN_HOSTS = 'GITOPS_KNOWN_HOSTS';

export class DeployKeyRemote {
  private dir: SecureTempDir | undefined;
  private sshEnv: Promise<Record<string, string>> | undefined;

  constructor(
    private readonly url: string,
    private readonly tokens: Readonly<Record<string, string>>,
  ) {}

  async remote(branch: string): Promise<WorldGitopsRemote> {
    if (!this.url.startsWith('ssh://')) return { url: this.url, branch, knownHosts: '' };
    const key = this.tokens[GITOPS_DEPLOY_KEY];
    const knownHosts = this.tokens[GITOPS_KNOWN_HOSTS];
    if (!key || !knownHosts)
      throw new CloudError(
        `the vault's tokens lack ${!key ? `${GITOPS_DEPLOY_KEY} (generate it with \`npx nx run vault:keys\`)` : `${GITOPS_KNOWN_HOSTS} (the git host's key as \`ssh-keyscan\` prints it; enter it with \`npm run state -- edit tokens\`)`}, which reaching ${this.url} over SSH needs; nothing was pushed.`,
      );
    this.sshEnv ??= this.writeKeyFiles(key, knownHosts);
    return { url: this.url, branch, knownHosts: `${knownHosts.trim()}\n`, env: await this.sshEnv };
  }

  private async writeKeyFiles(key: string, knownHosts: string): Promise<Record<string, string>> {
    this.dir = await createSecureTempDir();
    const identity = await this.dir.writeFile('deploy-key', toOpenSshPrivateKey(key));
    const hosts = await this.dir.writeFile('known_hosts', `${knownHosts.trim()}\n`);
    const command = ['ssh', `-i '${identity}'`, '-o IdentitiesOnly=yes', `-o UserKnownHostsFile='${hosts}'`];
    return { GIT_SSH_COMMAND: [...command, '-o StrictHostKeyChecking=yes'].join(' ') };
  }

  async close(): Promise<void> {
    await this.dir?.remove();
    this.dir = undefined;
    this.sshEnv = undefined;
  }
}
