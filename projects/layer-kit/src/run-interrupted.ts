import { CloudError } from '@personal-cloud/cluster';

/**
 * The refusal of a step after an interruption (Ctrl-C, SIGTERM, SIGHUP): not an API or machine
 * error, so the DAG treats it as fatal, starts nothing new, and the run unwinds through the state
 * recorder's flush and the vault lock's release.
 */
export class RunInterrupted extends CloudError {}
