// What hosts:kubeconfig and hosts:ssh-config make for the operator, pure: the cluster's context
// merged with the others kept, and Host entries that trust exactly the vault's host keys.
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { clusterKubeconfig, mergeKubeconfig } from '../src/operator/kubeconfig-merge';
import { knownHostsText, sshConfigText } from '../src/operator/ssh-config-text';

const K3S = [
  'apiVersion: v1',
  'clusters:',
  '- cluster: { server: "https://pc-master-1:6443", certificate-authority-data: "Q0E=" }',
  '  name: default',
  'contexts:',
  '- context: { cluster: default, user: default }',
  '  name: default',
  'current-context: default',
  'kind: Config',
  'users:',
  '- name: default',
  '  user: { client-certificate-data: "Y2VydA==", client-key-data: "a2V5" }',
].join('\n');

const OTHER = [
  'apiVersion: v1',
  'kind: Config',
  'clusters: [{ name: work, cluster: { server: "https://work:6443" } }, { name: pc, cluster: { server: "https://old:6443" } }]',
  'users: [{ name: work, user: { token: w } }, { name: pc, user: { token: old } }]',
  'contexts: [{ name: work, context: { cluster: work, user: work } }, { name: pc, context: { cluster: pc, user: pc } }]',
  'current-context: work',
  'preferences: {}',
].join('\n');

describe('the kubeconfig merge', () => {
  it('names the context after the cluster, replaces an older one of that name, keeps the others and switches to it', () => {
    const ours = clusterKubeconfig(K3S, 'pc', 'https://pc-master-2:6443');
    const merged = mergeKubeconfig(OTHER, ours, '/home/o/.kube/config');
    expect(merged).toMatchObject({ previousContext: 'work', replaced: true });
    const config = parse(merged.text);
    expect(config.contexts).toEqual([
      { name: 'work', context: { cluster: 'work', user: 'work' } },
      { name: 'pc', context: { cluster: 'pc', user: 'pc' } },
    ]);
    expect(
      config.clusters.map((c: { name: string; cluster: { server: string } }) => [c.name, c.cluster.server]),
    ).toEqual([
      ['work', 'https://work:6443'],
      ['pc', 'https://pc-master-2:6443'],
    ]);
    expect(config.users[1]).toEqual({
      name: 'pc',
      user: { 'client-certificate-data': 'Y2VydA==', 'client-key-data': 'a2V5' },
    });
    expect(config['current-context']).toBe('pc');
    expect(config.preferences).toEqual({});
    expect(mergeKubeconfig(null, ours, 'x')).toMatchObject({ previousContext: null, replaced: false });
  });

  it('refuses a file that is not a kubeconfig, naming it, and a vault kubeconfig with more than one cluster', () => {
    const ours = clusterKubeconfig(K3S, 'pc');
    expect(() => mergeKubeconfig('clusters: [oops', ours, '/home/o/.kube/config')).toThrow(
      /^\/home\/o\/\.kube\/config is not valid YAML \(.*\); nothing was written\.$/,
    );
    expect(() => mergeKubeconfig('clusters: 3', ours, '/k')).toThrow(
      '/k: its clusters should be a list of named entries; nothing was written.',
    );
    expect(() => clusterKubeconfig(OTHER, 'pc')).toThrow(
      "the vault's KUBECONFIG should hold one cluster, one user and one context, as k3s writes it, not 2, 2 and 2",
    );
  });
});

describe('the ssh config', () => {
  const nodes = [
    { name: 'master-1', tailscaleName: 'pc-master-1', hostPublicKey: 'ssh-ed25519 AAAAC3Nza1 root@pc-master-1' },
    { name: 'worker-5', tailscaleName: 'pc-worker-5', hostPublicKey: null },
  ];
  it('gives each node with a host key an entry over Tailscale that trusts only that key', () => {
    expect(
      sshConfigText({
        cluster: 'pc',
        phase: 4,
        nodes,
        knownHostsPath: '/home/o/.ssh/personal-cloud/pc.known_hosts',
        identityFile: '~/.ssh/id_ed25519',
        operatorPublicKey: 'ssh-ed25519 AAAAop operator',
      }),
    ).toBe(
      [
        '# Cluster pc: the nodes of phase 4, over Tailscale. Paste into ~/.ssh/config, or save and `Include` it.',
        '# Host keys from the vault: /home/o/.ssh/personal-cloud/pc.known_hosts.',
        '# ~/.ssh/id_ed25519 must be the private half of ssh-ed25519 AAAAop operator',
        '',
        'Host pc-master-1',
        '  HostName pc-master-1',
        '  User root',
        '  IdentityFile ~/.ssh/id_ed25519',
        '  IdentitiesOnly yes',
        '  HostKeyAlias pc-master-1',
        '  UserKnownHostsFile /home/o/.ssh/personal-cloud/pc.known_hosts',
        '  StrictHostKeyChecking yes',
        '# worker-5: the vault has no host key for it yet (`npx nx run vault:keys` makes it)',
        '',
      ].join('\n'),
    );
    expect(knownHostsText(nodes)).toBe('pc-master-1 ssh-ed25519 AAAAC3Nza1\n');
  });
});
