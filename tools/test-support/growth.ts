// Scale checks that hold on any machine: rather than bound how long something takes, measure how its
// time grows with its input, inside one test, and compare that ratio with what the algorithm allows.
// The two sizes are timed in alternation, so the JIT warming up slows both alike, and each size's
// fastest sample is its time: noise (a GC pause, a neighbour's burst, a worker preempted on a
// loaded 2-core machine) only ever adds time, so the minimum is the sample nearest the work itself.
// The median was not enough: with four test files on two cores, a linear planner (×10 alone)
// measured ×51.

export interface Sized {
  size: number;
  work: () => unknown;
}

export function median(samples: readonly number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** One call's duration in ms, from a sample that repeats the call `reps` times. */
function sample(work: () => unknown, reps: number): number {
  const started = performance.now();
  for (let r = 0; r < reps; r++) work();
  return (performance.now() - started) / reps;
}

/** Repeats that make one sample last about `sampleMs`, so a fast call is timed as accurately as a slow one. */
function repsFor(work: () => unknown, sampleMs: number): number {
  return Math.max(1, Math.ceil(sampleMs / Math.max(0.01, sample(work, 1))));
}

/**
 * How the time grows per 10× of input, between two sizes: 10 for linear work, 100 for quadratic.
 * Also returns each size's fastest time per call (ms).
 */
export function growthPer10x(small: Sized, large: Sized, options: { samples?: number; sampleMs?: number } = {}) {
  const { samples = 7, sampleMs = 20 } = options;
  // Warm up both code paths.
  for (let i = 0; i < 3; i++) {
    small.work();
    large.work();
  }
  const reps = [repsFor(small.work, sampleMs), repsFor(large.work, sampleMs)] as const;
  const times: [number[], number[]] = [[], []];
  for (let i = 0; i < samples; i++) {
    times[0].push(sample(small.work, reps[0]));
    times[1].push(sample(large.work, reps[1]));
  }
  const smallMs = Math.min(...times[0]);
  const largeMs = Math.min(...times[1]);
  return { growth: (largeMs / smallMs) ** (1 / Math.log10(large.size / small.size)), smallMs, largeMs };
}
