// `.sandbox/journal.jsonl`: one JSON line per machine step, with its exact arguments, its outcome
// and the cluster after it, so a test (or an operator) can read quorum from the journal alone.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { readFileIfExists } from '../world/persistence';
import type { ClusterView } from './cluster-view';

export interface JournalEntry {
  /** When the step started (ISO 8601, by the sandbox's clock). */
  at: string;
  step: string;
  node: string;
  args: Record<string, unknown>;
  outcome: 'ok' | 'failed' | 'unreachable';
  message?: string;
  /** The cluster when the step ends: etcd members and which are up, quorum, Ready nodes. */
  cluster: ClusterView;
}

export class MachineJournal {
  private entries: JournalEntry[] = [];
  readonly file: string | null;

  constructor(dir: string | null) {
    this.file = dir ? join(dir, 'journal.jsonl') : null;
    if (this.file) this.entries = readJournal(this.file);
  }

  append(entry: JournalEntry): void {
    this.entries.push(entry);
    if (!this.file) return;
    mkdirSync(join(this.file, '..'), { recursive: true });
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
  }

  all(): readonly JournalEntry[] {
    return this.entries;
  }

  clear(): void {
    this.entries = [];
  }
}

/** The entries of a journal file; a missing file has none. */
export function readJournal(file: string): JournalEntry[] {
  return (readFileIfExists(file) ?? '')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as JournalEntry);
}
