// What every layer's provision shares (DESIGN.md, "Reuse; don't copy"): the DAG runner, progress
// lines, the state recorder, the safe-point refusal, and how executors run ssh and read its failures.
export { runDag, type DagTask, type DagOutcome } from './run-dag';
export { createProgress, LiveProgress, PlainProgress, type Progress } from './progress';
export { StateRecorder, commitMessageFor, type Recorded, type RecordedChange } from './state-recorder';
export { RunInterrupted } from './run-interrupted';
export {
  knownHostsLine,
  lastStderrLine,
  splitSshAddress,
  sshFailureKind,
  sshOptions,
  type SshOptionsInput,
} from './ssh-options';
export { K3S_TOKEN, KUBECONFIG_TOKEN, OPERATOR_KEY_TOKEN } from './shared-tokens';
