// Request counts by "METHOD /path/{template}", for tests and benchmarks that hold the project to
// Hetzner's budget of API calls.
import { FAULT_KINDS, type FaultKind } from './faults';

export interface SandboxStats {
  /** e.g. { "GET /servers": 3, "POST /servers/{id}/actions/attach_to_network": 2 } */
  requests: Record<string, number>;
  reads: number;
  writes: number;
  /** How often each fault was injected. */
  faults: Record<FaultKind, number>;
}

export class StatsRecorder {
  private counts = new Map<string, number>();
  private reads = 0;
  private writes = 0;
  private faults = emptyFaults();

  request(method: string, template: string): void {
    const key = `${method} ${template}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    if (method === 'GET' || method === 'HEAD') this.reads++;
    else this.writes++;
  }

  fault(kind: FaultKind): void {
    this.faults[kind]++;
  }

  snapshot(): SandboxStats {
    return {
      requests: Object.fromEntries([...this.counts].sort(([a], [b]) => (a < b ? -1 : 1))),
      reads: this.reads,
      writes: this.writes,
      faults: { ...this.faults },
    };
  }

  reset(): void {
    this.counts = new Map();
    this.reads = 0;
    this.writes = 0;
    this.faults = emptyFaults();
  }
}

function emptyFaults(): Record<FaultKind, number> {
  return Object.fromEntries(FAULT_KINDS.map((k) => [k, 0])) as Record<FaultKind, number>;
}
