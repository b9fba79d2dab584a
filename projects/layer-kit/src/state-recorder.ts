// Writes what provisioning learns into the vault as it happens, without holding up the work:
// changes queue up and each write takes everything queued so far, so the vault is at most one
// write behind the world. A crash loses at most that tail, and labels recover it on the rerun.
import type { State, Vars, VaultSession } from '@personal-cloud/vault';

export interface Recorded {
  state: State;
  vars: Vars;
}

type Mutation = (current: Recorded) => Recorded;

/**
 * What one record changed, by kind only: commit messages in the secrets repo are plaintext, so
 * they name no resource and no ID (those live encrypted in the documents).
 */
export interface RecordedChange {
  layer: string;
  /** `recorded`, `deleted`, or a whole phrase when there is no kind (`state matches the cloud`). */
  verb: string;
  /** A noun that takes a plural `s`: `server`, `SSH key`. */
  kind?: string;
}

/** `infra: 3 servers recorded, 1 network deleted`: each kind and verb once, with its count, in order of first appearance. */
export function commitMessageFor(changes: readonly RecordedChange[]): string {
  const layers = new Map<string, Map<string, { change: RecordedChange; count: number }>>();
  for (const change of changes) {
    const groups = layers.get(change.layer) ?? new Map<string, { change: RecordedChange; count: number }>();
    layers.set(change.layer, groups);
    const key = `${change.kind ?? ''}\0${change.verb}`;
    const group = groups.get(key) ?? { change, count: 0 };
    group.count += 1;
    groups.set(key, group);
  }
  return [...layers]
    .map(([layer, groups]) => {
      const phrases = [...groups.values()].map(({ change, count }) =>
        change.kind === undefined ? change.verb : `${count} ${change.kind}${count === 1 ? '' : 's'} ${change.verb}`,
      );
      return `${layer}: ${phrases.join(', ')}`;
    })
    .join('; ');
}

export class StateRecorder {
  private pending: { change: Mutation; what: RecordedChange }[] = [];
  private writing: Promise<void> | undefined;
  private failure: unknown;
  /** What the vault holds since our last write: we hold its lock, so nobody else changes it. */
  private current: Recorded | undefined;

  constructor(private readonly session: VaultSession) {}

  /** Queues a change; it is written soon, together with any others queued meanwhile. */
  record(what: RecordedChange, change: Mutation): void {
    if (this.failure) throw this.failure;
    this.pending.push({ change, what });
    this.writing ??= this.drain();
  }

  /** Waits until everything queued is in the vault; rethrows a write that failed. */
  async flush(): Promise<void> {
    while (this.writing || (this.pending.length && !this.failure)) {
      this.writing ??= this.drain();
      await this.writing;
    }
    if (this.failure) throw this.failure;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length) {
        const batch = this.pending.splice(0);
        this.current ??= { state: await this.session.read('state'), vars: await this.session.read('vars') };
        const before = this.current;
        const after = batch.reduce((current, { change }) => change(current), before);
        await this.session.writeAll(
          { state: after.state, vars: after.vars },
          commitMessageFor(batch.map((b) => b.what)),
        );
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
