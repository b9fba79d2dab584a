// Each layer's key covers its slice of the config (layer-targets.ts), so each layer's render must
// read nothing else. The types say so at compile time (LayerConfig is a Pick of the listed
// fields); this says so at run time, where a cast could slip past them: every layer renders from a
// slice that throws on any other field, and makes what it makes from the whole config.
// Here, in the top layer's tests, because it alone may import every other layer without a cycle.
import { describe, expect, it } from 'vitest';
import {
  configSlice,
  desiredResources,
  LAYER_CONFIG_FIELDS,
  nodesInPhase,
  resolveSecrets,
  type ClusterConfig,
  type SliceLayer,
} from '@personal-cloud/cluster';
import { hostNix } from '@personal-cloud/builder';
import { builderConfig, builderVars, NIXPKGS } from '../../builder/test/fixtures';
import { renderBuilder } from '../../builder/src/render/render-builder';
import { varsFor } from '../../hosts/test/fixtures';
import { renderHosts } from '../../hosts/src/render/render-hosts';
import { renderTree } from '../src/render/render-tree';
import { shippedConfig } from './fixtures';

/** The layer's slice, which names the field any read outside it asks for. */
function strictSlice<L extends SliceLayer>(config: ClusterConfig, layer: L) {
  const fields: readonly string[] = LAYER_CONFIG_FIELDS[layer];
  return new Proxy(configSlice(config, layer), {
    get(target, key, receiver) {
      if (typeof key === 'string' && !fields.includes(key) && key !== 'then' && key !== 'toJSON')
        throw new Error(`${layer} read config.${key}, which its slice (layer-config-fields.ts) does not list`);
      return Reflect.get(target, key, receiver);
    },
  });
}

describe('every layer reads only its slice of the config', () => {
  // Every optional part present (Oxygen as builder, the nix-cache app), so every branch that reads one runs.
  const config = builderConfig(4);
  const nodes = nodesInPhase(config);
  const vars = { ...varsFor(nodes), ...builderVars() };
  const nix = hostNix(config, nodes, vars);

  it('infra', () => {
    // The seed writes the operator's key and address in the config, so no vars are needed.
    const slice = strictSlice(config, 'infra');
    expect(desiredResources(slice, resolveSecrets(slice, {}))).toEqual(
      desiredResources(config, resolveSecrets(config, {})),
    );
  });

  it('builder, for itself and for the hosts', () => {
    const slice = strictSlice(config, 'builder');
    expect(renderBuilder({ config: slice, nodes, vars, nixpkgs: NIXPKGS })).toEqual(
      renderBuilder({ config, nodes, vars, nixpkgs: NIXPKGS }),
    );
    expect(hostNix(slice, nodes, vars)).toEqual(nix);
  });

  it('hosts', () => {
    const input = { nodes, vars, hostsState: { k3sServers: [] }, nix };
    expect(renderHosts({ config: strictSlice(config, 'hosts'), ...input })).toEqual(renderHosts({ config, ...input }));
  });

  it('k8s-apps', () => {
    // The shipped config: its apps are complete, and it has GitOps and ACME.
    const shipped = shippedConfig();
    expect(renderTree(strictSlice(shipped, 'k8s-apps')).files).toEqual(renderTree(shipped).files);
  });

  it('names the field a layer reads outside its slice', () => {
    expect(() => (strictSlice(config, 'hosts') as Record<string, unknown>).apps).toThrow(
      'hosts read config.apps, which its slice (layer-config-fields.ts) does not list',
    );
  });
});
