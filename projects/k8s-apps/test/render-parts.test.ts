// Small pure parts of render: attic's TOML, backup retention, and the errors an app's config can cause.
import { describe, expect, it } from 'vitest';
import { retention } from '../src/render/backups';
import { renderTree } from '../src/render/render-tree';
import { toToml } from '../src/render/toml-document';
import { shippedConfig, withApp } from './fixtures';

describe('TOML', () => {
  it('writes top-level keys before tables and escapes strings', () => {
    expect(
      toToml({ listen: '[::]:8080', 'allowed-hosts': ['a.org'], database: { url: 'x"y\\z' }, 'odd key': true }),
    ).toBe('listen = "[::]:8080"\nallowed-hosts = ["a.org"]\n"odd key" = true\n\n[database]\nurl = "x\\"y\\\\z"\n');
  });
});

describe('backups', () => {
  it('counts kept backups in the period the schedule makes one in', () => {
    expect(retention('0 3 * * 0', 4)).toEqual({ weekly: 4 });
    expect(retention('30 2 * * *', 14)).toEqual({ daily: 14 });
    expect(retention('0 * * * *', 24)).toEqual({ hourly: 24 });
    expect(retention('0 1 1 * *', 6)).toEqual({ monthly: 6 });
  });

  it('refuses a backup of a claim the app does not have, naming the ones it has', () => {
    const config = withApp('eth-node', (app) => ({
      ...app,
      backup: { to: 'cold', schedule: '0 3 * * 0', keep: 4, claims: ['wallet'] },
    }));
    expect(() => renderTree(config)).toThrow(
      'apps: eth-node.backup.claims names "wallet", but the app has no such claim; allowed: keys',
    );
  });

  it('backs up every claim of an app whose declaration names none', () => {
    const config = withApp('nix-cache', (app) => ({ ...app, backup: { to: 'cold', schedule: '0 1 * * *', keep: 7 } }));
    expect([...renderTree(config).files.keys()].filter((f) => f.startsWith('restore/nix-cache/'))).toEqual([
      'restore/nix-cache/kustomization.yaml',
      'restore/nix-cache/namespace.yaml',
      'restore/nix-cache/replicationdestination.yaml',
    ]);
  });
});

describe('apps', () => {
  it('refuses an app the layer has no module for, naming the ones it has', () => {
    const config = shippedConfig();
    const unknown = { ...config, apps: [...config.apps, { ...config.apps[0]!, name: 'blog' }] };
    expect(() => renderTree(unknown)).toThrow(
      'apps: "blog" has no module projects/k8s-apps/apps/blog.ts; allowed: analysis, eth-node, nix-cache, website',
    );
  });

  it('needs the GitOps repository in the config', () => {
    expect(() => renderTree({ ...shippedConfig(), gitops: undefined })).toThrow(
      /^gitops: the k8s-apps layer needs the GitOps repository/,
    );
  });
});
