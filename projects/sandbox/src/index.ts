// The local Hetzner Cloud: start one in-process, or find the one already serving a directory.
export { ControllableClock } from './controllable-clock';
export { startSandbox, type RunningSandbox } from './sandbox';
export { sandboxOptionsFromEnv, type Exchange, type SandboxOptions } from './options';
export { findRunningSandbox } from './serve-record';
export type { SandboxStats } from './stats';
export type { RateLimit } from './rate-limiter';
export { parseFaults, FAULT_KINDS, type FaultKind } from './faults';
// The machine model: what runs on each server (see README "Machines").
export { MachineModel, type MachineStepRequest, type MachineStepAnswer } from './machines/machine-model';
export { MachineStepRefused, runMachineStep, type MachineStepClock } from './machines/machine-step-client';
export { StepFailure, type StepContext, type StepHandler, type StepResult } from './machines/machine-steps';
export { clusterView, hasQuorum, type ClusterView } from './machines/cluster-view';
export { readJournal, type JournalEntry } from './machines/machine-journal';
export { parseMachineDurations, type MachineDurations } from './machines/machine-durations';
export type { MachineRecord, MachineWorld, EtcdMember } from './machines/machine-world';
export {
  startBinaryCache,
  type BinaryCacheOptions,
  type BinaryCacheRequest,
  type RunningBinaryCache,
} from './binary-cache';
export { sandboxOrigin } from './sandbox-origin';
// The cluster's API side (see README "The cluster's API side").
export { ClusterApiModel, type ClusterStepAnswer } from './cluster-api/cluster-api-model';
export type {
  ClusterApiState,
  FluxSource,
  KustomizationCondition,
} from './cluster-api/cluster-api-world';
