import { describe, expect, it } from 'vitest';
import { LAYER_TARGETS, layerTargets } from '../src/layer-targets';

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
    expect(targets.render.dependsOn).toEqual(['^render', { projects: ['vault'], target: 'keys' }]);
    expect(targets.check.dependsOn).toEqual(['render']);
    expect(targets.provision.dependsOn).toEqual(['check', '^provision']);
  });

  it('hashes the config, upstream sources and the vault, so a cache hit never hides a change', () => {
    expect(targets.render.inputs).toEqual(
      expect.arrayContaining([
        'clusterConfig',
        '^production',
        { runtime: expect.stringContaining('vault-fingerprint.mjs vars') },
      ]),
    );
    expect(targets.plan.inputs).toEqual(
      expect.arrayContaining([{ runtime: expect.stringContaining('vars state') }, { env: 'HCLOUD_ENDPOINT' }]),
    );
    // Another config file (CLOUD_CONFIG) or sandbox is another key, the file by its content.
    expect(targets.render.inputs).toEqual(
      expect.arrayContaining([
        { env: 'CLOUD_CONFIG' },
        { runtime: expect.stringContaining('config-fingerprint.mjs') },
        { env: 'SANDBOX_DIR' },
      ]),
    );
  });
});
