// How the benches print a timed figure: the median of the samples with their spread, and whether
// a goal was met. Benches measure; they do not judge: a missed goal is printed, never an exit code.
import { median } from '../tools/test-support/growth';

/** "1.23 (1.19–1.31)": the median and the spread of the samples. */
export function spread(samples: number[], digits = 2): string {
  return `${median(samples).toFixed(digits)} (${Math.min(...samples).toFixed(digits)}–${Math.max(...samples).toFixed(digits)})`;
}

export const verdict = (met: boolean) => (met ? 'met' : 'missed');
