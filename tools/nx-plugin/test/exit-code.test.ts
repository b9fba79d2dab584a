import { describe, expect, it } from 'vitest';
import { correctedExitCode } from '../src/exit-code';

const failed = { status: 'failure', code: 1 };
const ok = { status: 'success', code: 0 };

describe('correctedExitCode', () => {
  it('turns the 130 Nx gives a failed chain with skipped tasks into 1', () => {
    expect(correctedExitCode(130, { signalled: false, results: [ok, failed] })).toBe(1);
  });

  it('keeps 130 for a real interrupt: a signal to nx, a stopped task, or a task that ended interrupted', () => {
    expect(correctedExitCode(130, { signalled: true, results: [failed] })).toBe(130);
    expect(correctedExitCode(130, { signalled: false, results: [failed, { status: 'stopped' }] })).toBe(130);
    for (const code of [129, 130, 143])
      expect(correctedExitCode(130, { signalled: false, results: [{ status: 'failure', code }] })).toBe(130);
  });

  it('keeps 130 when the run never reported its results, and leaves every other code alone', () => {
    expect(correctedExitCode(130, { signalled: false })).toBe(130);
    expect(correctedExitCode(130, { signalled: false, results: [ok] })).toBe(130);
    expect(correctedExitCode(1, { signalled: false, results: [failed] })).toBe(1);
    expect(correctedExitCode(0, { signalled: false, results: [ok] })).toBe(0);
  });
});
