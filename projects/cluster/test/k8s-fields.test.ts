// The config fields the k8s-apps layer reads: the GitOps repository, the ACME issuer, the tiers'
// details, which claims a backup covers, and a cache's garbage collection.
import { describe, expect, it } from 'vitest';
import { parseClusterConfig } from '../src';
import { seedConfig } from './fixtures';

const problemsOf = (change: (c: ReturnType<typeof seedConfig>) => void): string => {
  const config = seedConfig();
  change(config);
  try {
    parseClusterConfig(config);
    return '';
  } catch (error) {
    return (error as Error).message;
  }
};

describe('k8s-apps fields', () => {
  it('fills in defaults: branch main, Let’s Encrypt, the hot nodes’ label and OS reserve, the warm volume and the CSI class', () => {
    const config = seedConfig();
    config.gitops = { url: 'ssh://git@example.org/gitops.git' };
    config.acme = { email: 'ops@example.org' };
    const parsed = parseClusterConfig(config);
    expect(parsed.gitops).toEqual({ url: 'ssh://git@example.org/gitops.git', branch: 'main' });
    expect(parsed.acme).toEqual({ email: 'ops@example.org', server: 'https://acme-v02.api.letsencrypt.org/directory' });
    expect(parsed.storage.hot).toMatchObject({ nodeLabels: { 'personal-cloud/storage': 'nvme' }, osReserveGb: 40 });
    expect(parsed.storage.warm).toEqual({
      storageClass: 'warm-block',
      volume: 'data',
      movableStorageClass: 'hcloud-volumes',
    });
  });

  it('names the field of a bad GitOps URL, path, ACME e-mail, backup claim and garbage collection', () => {
    expect(problemsOf((c) => (c.gitops = { url: 'git@github.com:x/y.git' }))).toContain(
      'gitops.url: must be an ssh://, https:// or file:// git URL',
    );
    expect(problemsOf((c) => (c.gitops = { url: 'file:///tmp/x', path: '../clusters' }))).toContain(
      'gitops.path: must be a relative path of lowercase names',
    );
    expect(problemsOf((c) => (c.acme = { email: 'nobody' }))).toContain('acme.email: must be an e-mail address');
    expect(problemsOf((c) => (c.apps[1].backup.claims = ['Keys']))).toContain(
      'apps[1].backup.claims[0]: must be an RFC 1123 name',
    );
    expect(problemsOf((c) => (c.apps[0].gc = { intervalHours: 12 }))).toContain(
      'apps[0].gc.retentionDays: is required (a number)',
    );
  });
});
