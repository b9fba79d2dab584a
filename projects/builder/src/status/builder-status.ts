// builder:status's lines, from what the executor saw on Oxygen and what the cache answered: one
// line per thing, red (ok: false) for each that is wrong. Pure.
import type { OxygenProbe } from '../provision/oxygen-executor';
import { PUSH } from '../render/builder-settings';

export interface StatusLine {
  ok: boolean;
  text: string;
}

/** Below this much free space on the builder's /nix, big builds start failing; collect garbage. */
export const MIN_NIX_FREE_BYTES = 20 * 1024 ** 3;

export interface StatusInput {
  name: string;
  /** What Oxygen answered, or why it did not. */
  probe: OxygenProbe | { unreachable: string };
  /**
   * GET <cache>/nix-cache-info: reachable, or why not; `modelled` in the sandbox world, whose cache
   * host exists only in its model (no DNS name to ask; provision's cache check goes through the model).
   */
  cache:
    | { url: string; reachable: true }
    | { url: string; reachable: false; reason: string }
    | { url: string; reachable: 'modelled' }
    | null;
  /** When Oxygen last pushed to the cache; null when nothing records it. */
  lastPushAgeSeconds: number | null;
  /** The generation render made, to say whether Oxygen runs it. */
  wantedGeneration: string | null;
}

export function builderStatus(input: StatusInput): StatusLine[] {
  const lines: StatusLine[] = [];
  const { probe, name } = input;
  if ('unreachable' in probe) {
    lines.push({ ok: false, text: `${name} does not answer over SSH: ${probe.unreachable}` });
  } else {
    const running = probe.container?.running === true;
    lines.push(
      running && probe.nixVersion
        ? { ok: true, text: `${name} answers over SSH; the builder runs ${probe.nixVersion}` }
        : { ok: false, text: `${name} answers over SSH, but the builder container does not run` },
    );
    if (input.wantedGeneration)
      lines.push(
        probe.generation === input.wantedGeneration
          ? { ok: true, text: `${name} runs the rendered generation ${probe.generation.slice(0, 12)}` }
          : {
              ok: false,
              text: `${name} runs generation ${probe.generation?.slice(0, 12) ?? 'none'}, not the rendered ${input.wantedGeneration.slice(0, 12)}: run \`npx nx run builder:provision\``,
            },
      );
    if (probe.nixFreeBytes === null) lines.push({ ok: false, text: `free space on ${name}'s /nix: unknown` });
    else
      lines.push({
        ok: probe.nixFreeBytes >= MIN_NIX_FREE_BYTES,
        text: `free space on ${name}'s /nix: ${gib(probe.nixFreeBytes)}${probe.nixFreeBytes >= MIN_NIX_FREE_BYTES ? '' : ` (under ${gib(MIN_NIX_FREE_BYTES)}: run nix-collect-garbage in the builder)`}`,
      });
    lines.push(
      probe.k3s?.ready
        ? {
            ok: true,
            text: `node ${name} is Ready (${probe.k3s.role}, taints ${probe.k3s.taints.join(', ') || 'none'})`,
          }
        : { ok: false, text: `node ${name} is not Ready${probe.k3s ? '' : ': no k3s agent runs'}` },
    );
  }
  if (input.cache === null) lines.push({ ok: true, text: 'no binary cache is configured (no nix-cache app)' });
  else if (input.cache.reachable === 'modelled')
    lines.push({
      ok: true,
      text: `the cache ${input.cache.url} is the sandbox's model: not asked over the network (provision's cache check goes through the model)`,
    });
  else if (input.cache.reachable) lines.push({ ok: true, text: `the cache ${input.cache.url} answers` });
  else lines.push({ ok: false, text: `the cache ${input.cache.url} does not answer: ${input.cache.reason}` });
  if (input.cache)
    lines.push(
      input.lastPushAgeSeconds === null
        ? {
            ok: false,
            text: `age of the last push: unknown; nothing says the push loop (${PUSH.unit}) has uploaded a path`,
          }
        : { ok: true, text: `the last push was ${Math.round(input.lastPushAgeSeconds / 60)} minute(s) ago` },
    );
  return lines;
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}
