// How a sandbox is configured: explicitly by the caller, else from the environment
// (SANDBOX_PORT, SANDBOX_DIR, SANDBOX_ACTION_MS, SANDBOX_FAULTS, SANDBOX_MACHINE_MS), else by the defaults.
import { resolve } from 'node:path';
import { parseFaults } from './faults';
import { parseMachineDurations } from './machines/machine-durations';
import type { RateLimit } from './rate-limiter';

/** One request and its answer, as the exchange hook sees it (only for /v1 requests). */
export interface Exchange {
  method: string;
  /** Path and query as requested, e.g. `/v1/servers?label_selector=role%3Dworker`. */
  path: string;
  status: number;
  requestBody: unknown;
  responseBody: unknown;
  /** True when the `reset` fault dropped the connection: the client never saw this answer. */
  dropped?: boolean;
}

export interface SandboxOptions {
  /** 0 = ephemeral; default from SANDBOX_PORT or 4646. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  /** Persistence directory; null = in memory only (tests). Default from SANDBOX_DIR or <cwd>/.sandbox. */
  dir?: string | null;
  /** How long an action stays running, in ms; default from SANDBOX_ACTION_MS or 50. */
  actionMs?: number;
  /** The project's server limit; default from SANDBOX_SERVER_LIMIT, else none. */
  serverLimit?: number;
  /** SANDBOX_FAULTS syntax, e.g. `server_error=0.05,reset=0.02,seed=42`; default from SANDBOX_FAULTS or none. */
  faults?: string;
  /** How long machine steps take (SANDBOX_MACHINE_MS syntax, e.g. `install=3000,rebuild=1000`); default from SANDBOX_MACHINE_MS or the model's defaults. */
  machineMs?: string;
  onExchange?: (exchange: Exchange) => void;
  /** The rate-limit bucket; Hetzner's 3600 requests refilling one per second unless a test wants a small one. */
  rateLimit?: RateLimit;
  /** The clock (ms since the epoch); tests may drive it by hand. */
  clock?: () => number;
}

export const DEFAULT_PORT = 4646;
export const DEFAULT_ACTION_MS = 50;

function integer(env: NodeJS.ProcessEnv, name: string, min: number, max: number): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || value < min || value > max)
    throw new Error(`${name} must be an integer from ${min} to ${max}, not "${raw}"`);
  return value;
}

/** The options the environment asks for; throws one sentence naming the bad variable. */
export function sandboxOptionsFromEnv(env: NodeJS.ProcessEnv): SandboxOptions {
  const faults = env.SANDBOX_FAULTS ?? '';
  parseFaults(faults);
  const machineMs = env.SANDBOX_MACHINE_MS ?? '';
  parseMachineDurations(machineMs);
  return {
    port: integer(env, 'SANDBOX_PORT', 0, 65535) ?? DEFAULT_PORT,
    host: '127.0.0.1',
    dir: resolve(env.SANDBOX_DIR || '.sandbox'),
    actionMs: integer(env, 'SANDBOX_ACTION_MS', 0, 3_600_000) ?? DEFAULT_ACTION_MS,
    serverLimit: integer(env, 'SANDBOX_SERVER_LIMIT', 0, 1_000_000),
    faults,
    machineMs,
  };
}
