// How long machine steps take in the sandbox, like SANDBOX_ACTION_MS for actions:
// SANDBOX_MACHINE_MS="install=3000,rebuild=1000,ready=200,probe=0" (milliseconds).

export interface MachineDurations {
  /** nixos-anywhere, from kexec to the first boot. */
  install: number;
  /** nixos-rebuild switch. */
  rebuild: number;
  /** From the end of a deploy to the node reporting Ready. */
  ready: number;
  /** Probes, kubeconfig fetches and etcd commands. */
  probe: number;
}

export const DEFAULT_MACHINE_DURATIONS: MachineDurations = { install: 200, rebuild: 100, ready: 50, probe: 0 };

const KEYS = Object.keys(DEFAULT_MACHINE_DURATIONS) as (keyof MachineDurations)[];

/** Parses the SANDBOX_MACHINE_MS syntax over the defaults; throws one sentence naming the bad part. */
export function parseMachineDurations(text: string | undefined): MachineDurations {
  const durations = { ...DEFAULT_MACHINE_DURATIONS };
  for (const part of (text ?? '').split(',')) {
    const entry = part.trim();
    if (!entry) continue;
    const [key, raw = ''] = entry.split('=').map((s) => s.trim());
    if (!KEYS.includes(key as keyof MachineDurations))
      throw new Error(
        `SANDBOX_MACHINE_MS: unknown step "${key}"; allowed are ${KEYS.join(', ')} (e.g. "install=3000,rebuild=1000")`,
      );
    if (!/^\d+$/.test(raw) || Number(raw) > 3_600_000)
      throw new Error(`SANDBOX_MACHINE_MS: ${key} must be an integer from 0 to 3600000 milliseconds, not "${raw}"`);
    durations[key as keyof MachineDurations] = Number(raw);
  }
  return durations;
}
