import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LAYER_TARGETS, layerOrder, layerTargets, vaultFingerprints } from '../src/layer-targets';
import { vaultFingerprint } from '../src/task-fingerprints';

describe('inferred layer targets', () => {
  const targets = layerTargets('projects/infra');

  it('gives every layer the five standard targets, each run through the target runner', () => {
    expect(Object.keys(targets)).toEqual([...LAYER_TARGETS]);
    for (const name of LAYER_TARGETS)
      expect(targets[name].command).toBe(`node tools/nx-plugin/src/run-target.mjs projects/infra ${name}`);
  });

  it('caches the pure targets and never the ones with side effects', () => {
    expect([targets.render.cache, targets.check.cache, targets.plan.cache]).toEqual([true, true, true]);
    expect([targets.provision.cache, targets.destroy.cache]).toEqual([false, false]);
  });

  it('orders a run: upstream layers render and provision first', () => {
    // The key step is no task: the plugin runs it before Nx hashes anything (index.ts).
    expect(targets.render.dependsOn).toEqual(['^render']);
    expect(targets.check.dependsOn).toEqual(['render']);
    expect(targets.provision.dependsOn).toEqual(['check', '^provision']);
  });

  it('hashes its slice of the config, upstream sources and the vault, so a cache hit never hides a change', () => {
    const slice = { dependentTasksOutputFiles: 'dist/cluster/render/slices/infra.json', transitive: true };
    for (const target of ['render', 'check', 'plan'] as const) {
      expect(targets[target].inputs).toContainEqual(slice);
      // Not the whole config: an edit to a field infra does not read leaves its keys alone.
      expect(targets[target].inputs).not.toContain('clusterConfig');
      expect(targets[target].inputs).not.toContainEqual({ env: 'CLOUD_CONFIG_FINGERPRINT' });
    }
    expect(targets.render.inputs).toEqual(
      expect.arrayContaining(['^production', { env: 'CLOUD_VAULT_FINGERPRINT_INFRA' }]),
    );
    expect(targets.plan.inputs).toEqual(
      expect.arrayContaining([{ env: 'CLOUD_VAULT_FINGERPRINT_INFRA' }, { env: 'HCLOUD_ENDPOINT' }]),
    );
    // Another sandbox is another key.
    expect(targets.render.inputs).toContainEqual({ env: 'SANDBOX_DIR' });
  });

  it('hashes the outputs of lower layers that a layer reads, as its project.json names them', () => {
    const [hosts] = layerOrder([{ name: 'hosts', metadata: { readsOutputs: ['dist/builder/render/host-nix.json'] } }]);
    const targets = layerTargets('projects/hosts', hosts![1]);
    for (const target of ['render', 'check', 'plan'] as const)
      expect(targets[target].inputs).toContainEqual({
        dependentTasksOutputFiles: 'dist/builder/render/host-nix.json',
        transitive: true,
      });
  });

  it('refuses a layer whose config fields are listed nowhere, in one sentence naming the file', () => {
    expect(() => layerTargets('projects/dns')).toThrow(
      'dns is a layer, but projects/cluster/src/layer-config-fields.ts lists no config fields for it: add the fields it reads there.',
    );
  });

  it('destroys the layers built on a layer before the layer itself, forwarding --yes to them', () => {
    const hosts = layerTargets('projects/hosts', { above: ['k8s-apps'], writtenAbove: [] });
    expect(hosts.destroy.dependsOn).toEqual([{ projects: ['k8s-apps'], target: 'destroy', params: 'forward' }]);
    expect(layerTargets('projects/builder').destroy.dependsOn).toEqual([]);
  });

  const order = layerOrder([
    { name: 'infra' },
    { name: 'hosts', implicitDependencies: ['infra'] },
    { name: 'k8s-apps', implicitDependencies: ['hosts'], metadata: { vaultWrites: ['tokens.kubeconfig'] } },
    { name: 'builder', implicitDependencies: ['k8s-apps', 'cluster'] },
  ]);

  it('reads which layers sit on which from their implicitDependencies', () => {
    expect(Object.fromEntries([...order].map(([name, { above }]) => [name, above]))).toEqual({
      infra: ['hosts'],
      hosts: ['k8s-apps'],
      'k8s-apps': ['builder'],
      builder: [],
    });
  });

  it('keys a layer on every vault slice except what the layers built on it write', () => {
    expect(order.get('hosts')?.writtenAbove).toEqual([
      'state.layers.builder',
      'state.layers.k8s-apps',
      'tokens.kubeconfig',
    ]);
    expect(order.get('builder')?.writtenAbove).toEqual([]);
    const hosts = layerTargets('projects/hosts', order.get('hosts'));
    for (const target of ['render', 'check', 'plan'] as const)
      expect(hosts[target].inputs).toContainEqual({ env: 'CLOUD_VAULT_FINGERPRINT_HOSTS' });
    expect(layerTargets('projects/k8s-apps', order.get('k8s-apps')).render.inputs).toContainEqual({
      env: 'CLOUD_VAULT_FINGERPRINT_K8S_APPS',
    });
  });

  it('sets each layer’s variable to the fingerprint of what it reads: a write above it leaves it alone', () => {
    // A vault whose fingerprints.json records the slices (as every write by the vault leaves it).
    const dir = mkdtempSync(join(tmpdir(), 'pc-fingerprints-'));
    mkdirSync(join(dir, 'cluster'));
    const write = (builderState: string) => {
      writeFileSync(join(dir, 'cluster/state.json.age'), `ciphertext ${builderState}`);
      const ciphertext = createHash('sha256').update(`ciphertext ${builderState}`).digest('hex');
      const slices = { 'state.layers.infra': 'a', 'state.layers.builder': builderState };
      writeFileSync(
        join(dir, 'cluster/fingerprints.json'),
        JSON.stringify({ version: 1, documents: { state: { ciphertext, slices } } }),
      );
      return vaultFingerprints(order, dir);
    };
    const before = write('b1');
    const after = write('b2');
    expect(Object.keys(before).sort()).toEqual([
      'CLOUD_VAULT_FINGERPRINT_BUILDER',
      'CLOUD_VAULT_FINGERPRINT_HOSTS',
      'CLOUD_VAULT_FINGERPRINT_INFRA',
      'CLOUD_VAULT_FINGERPRINT_K8S_APPS',
    ]);
    // builder writes its own state: the layers below it keep their keys, builder's moves.
    expect(after.CLOUD_VAULT_FINGERPRINT_HOSTS).toBe(before.CLOUD_VAULT_FINGERPRINT_HOSTS);
    expect(after.CLOUD_VAULT_FINGERPRINT_INFRA).toBe(before.CLOUD_VAULT_FINGERPRINT_INFRA);
    expect(after.CLOUD_VAULT_FINGERPRINT_BUILDER).not.toBe(before.CLOUD_VAULT_FINGERPRINT_BUILDER);
    expect(after.CLOUD_VAULT_FINGERPRINT_BUILDER).toBe(vaultFingerprint(dir));
  });
});
