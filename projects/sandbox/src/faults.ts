// Fault injection, configured like `rate_limit=0.1,server_error=0.05,action_error=0.05,reset=0.02,seed=42`.
// rate_limit, server_error and unavailable fail a request before it is processed (nothing changes);
// action_error makes a new action end in `error`; reset drops the connection after the request was
// processed and persisted, so the client cannot know whether it happened. The machine model's
// faults are drawn the same way: install_error fails an install, not_ready leaves a node's k3s
// not Ready until its next deploy, slow_member makes a joining etcd member slow to be healthy.
import { seededRandom, type Random } from './seeded-random';

export const MACHINE_FAULT_KINDS = ['install_error', 'not_ready', 'slow_member'] as const;
export type MachineFaultKind = (typeof MACHINE_FAULT_KINDS)[number];
export const FAULT_KINDS = [
  'rate_limit',
  'server_error',
  'unavailable',
  'action_error',
  'reset',
  ...MACHINE_FAULT_KINDS,
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];
export type RequestFault = 'rate_limit' | 'server_error' | 'unavailable';

export interface FaultConfig {
  probabilities: Record<FaultKind, number>;
  seed: number;
}

const ALLOWED_KEYS = [...FAULT_KINDS, 'seed'];

export function noFaults(): FaultConfig {
  return {
    probabilities: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>,
    seed: 0,
  };
}

/** Parses the SANDBOX_FAULTS syntax; throws one sentence naming the bad key or value and the allowed keys. */
export function parseFaults(text: string | undefined, defaultSeed: number = Date.now() % 2 ** 31): FaultConfig {
  const config = noFaults();
  config.seed = defaultSeed;
  const seen = new Set<string>();
  for (const part of (text ?? '').split(',')) {
    const entry = part.trim();
    if (!entry) continue;
    const eq = entry.indexOf('=');
    const key = (eq < 0 ? entry : entry.slice(0, eq)).trim();
    const raw = eq < 0 ? '' : entry.slice(eq + 1).trim();
    if (!ALLOWED_KEYS.includes(key))
      throw new Error(
        `SANDBOX_FAULTS: unknown key "${key}"; allowed keys are ${ALLOWED_KEYS.join(', ')} (e.g. "server_error=0.05,seed=42")`,
      );
    if (seen.has(key)) throw new Error(`SANDBOX_FAULTS: "${key}" is given twice`);
    seen.add(key);
    const value = Number(raw);
    if (key === 'seed') {
      if (raw === '' || !Number.isSafeInteger(value) || value < 0)
        throw new Error(`SANDBOX_FAULTS: seed must be a non-negative integer, not "${raw}"`);
      config.seed = value;
    } else {
      if (raw === '' || !Number.isFinite(value) || value < 0 || value > 1)
        throw new Error(`SANDBOX_FAULTS: ${key} must be a probability between 0 and 1, not "${raw}"`);
      config.probabilities[key as FaultKind] = value;
    }
  }
  const { rate_limit, server_error, unavailable } = config.probabilities;
  if (rate_limit + server_error + unavailable > 1)
    throw new Error('SANDBOX_FAULTS: rate_limit, server_error and unavailable together must not exceed 1');
  return config;
}

/**
 * Draws faults from seeded sequences, one per concern, so a run with a seed repeats exactly: which
 * actions fail depends only on the order actions are started, not on how often a client polled.
 */
export class FaultInjector {
  private readonly requests: Random;
  private readonly actions: Random;
  private readonly resets: Random;
  private readonly machines: Random;

  constructor(readonly config: FaultConfig) {
    this.requests = seededRandom(config.seed);
    this.actions = seededRandom(config.seed ^ 0x9e3779b9);
    this.resets = seededRandom(config.seed ^ 0x85ebca6b);
    this.machines = seededRandom(config.seed ^ 0xc2b2ae35);
  }

  /** Whether this machine step meets `kind`; machine steps draw from their own sequence. */
  machineFault(kind: MachineFaultKind): boolean {
    const p = this.config.probabilities[kind];
    return p > 0 && this.machines() < p;
  }

  /** The fault that fails this request before it is processed, if any (one draw, shared by the three kinds). */
  requestFault(): RequestFault | undefined {
    const { rate_limit, server_error, unavailable } = this.config.probabilities;
    if (rate_limit + server_error + unavailable === 0) return undefined;
    const draw = this.requests();
    if (draw < rate_limit) return 'rate_limit';
    if (draw < rate_limit + server_error) return 'server_error';
    if (draw < rate_limit + server_error + unavailable) return 'unavailable';
    return undefined;
  }

  actionFails(): boolean {
    const p = this.config.probabilities.action_error;
    return p > 0 && this.actions() < p;
  }

  dropsConnection(): boolean {
    const p = this.config.probabilities.reset;
    return p > 0 && this.resets() < p;
  }
}
