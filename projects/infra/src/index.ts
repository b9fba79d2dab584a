// The infra layer, for the layers after it: which world this is, the Hetzner client, and what
// the infra layer recorded in the vault.
export * as hcloud from './hcloud/index';
export {
  openWorld,
  worldKind,
  checkWorldSettings,
  openLayerVault,
  openLayerInputs,
  SANDBOX_TOKEN,
  type World,
} from './world/world';
export { provisionInfra, destroyInfra, type ProvisionOptions, type RunOptions } from './provision';
export { readInfraState, INFRA_LAYER, type InfraState } from './state/infra-state';
