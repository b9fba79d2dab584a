// The local Hetzner Cloud: start one in-process, or find the one already serving a directory.
export { ControllableClock } from './controllable-clock';
export { startSandbox, type RunningSandbox } from './sandbox';
export { sandboxOptionsFromEnv, type Exchange, type SandboxOptions } from './options';
export { findRunningSandbox } from './serve-record';
export type { SandboxStats } from './stats';
export type { RateLimit } from './rate-limiter';
export { parseFaults, FAULT_KINDS, type FaultKind } from './faults';
