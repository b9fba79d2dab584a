// The infra layer, for the layers after it: which world this is, the Hetzner client, and what
// the infra layer recorded in the vault.
export * as hcloud from './hcloud/index';
export { openWorld, worldKind, checkWorldSettings, openLayerVault, SANDBOX_TOKEN, type World } from './world/world';
export { provisionInfra, destroyInfra, type ProvisionOptions, type RunOptions } from './provision';
export { readInfraState, INFRA_LAYER, type InfraState } from './state/infra-state';
// Shared with the later layers' provision: the DAG runner, progress lines, the safe-point stop.
export { runDag, type DagTask, type DagOutcome } from './reconcile/run-dag';
export { createProgress, type Progress } from './ui/progress';
export { RunInterrupted } from './stop-at-safe-point';
export { StateRecorder, type RecordedChange } from './state/state-recorder';
// How the hosts' and the builder's executors run ssh and read its failures.
export {
  knownHostsLine,
  lastStderrLine,
  splitSshAddress,
  sshFailureKind,
  sshOptions,
  type SshOptionsInput,
} from './ssh/ssh-options';
