// Writes what provisioning learns into the vault as it happens, without holding up the work:
// changes queue up and each write takes everything queued so far, so the vault is at most one
// write behind the world. A crash loses at most that tail, and labels recover it on the rerun.
import type { State, Vars, VaultSession } from '@personal-cloud/vault';

export interface Recorded {
  state: State;
  vars: Vars;
}

type Mutation = (current: Recorded) => Recorded;

export class StateRecorder {
  private pending: { change: Mutation; message: string }[] = [];
  private writing: Promise<void> | undefined;
  private failure: unknown;
  /** What the vault holds since our last write: we hold its lock, so nobody else changes it. */
  private current: Recorded | undefined;

  constructor(private readonly session: VaultSession) {}

  /** Queues a change; it is written soon, together with any others queued meanwhile. */
  record(message: string, change: Mutation): void {
    if (this.failure) throw this.failure;
    this.pending.push({ change, message });
    this.writing ??= this.drain();
  }

  /** Waits until everything queued is in the vault; rethrows a write that failed. */
  async flush(): Promise<void> {
    while (this.writing || (this.pending.length && !this.failure)) await (this.writing ??= this.drain());
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0);
        const before = (this.current ??= { state: await this.session.read('state'), vars: await this.session.read('vars') });
        const after = batch.reduce((current, { change }) => change(current), before);
        const message = batch.length === 1 ? batch[0]!.message : `${batch[0]!.message} (+${batch.length - 1} more)\n\n${batch.map((b) => `- ${b.message}`).join('\n')}`;
        await this.session.writeAll({ state: after.state, vars: after.vars }, message);
        this.current = after;
      }
    } catch (error) {
      this.failure = error;
      this.pending = [];
    } finally {
      // In the same turn as the loop's last look at `pending`: a record() cannot slip in between.
      this.writing = undefined;
    }
  }
}
