import { describe, expect, it } from 'vitest';
import { createProgress, LiveProgress, PlainProgress } from '../src/progress';

const sink = (tty: boolean) => {
  const chunks: string[] = [];
  return {
    chunks,
    stream: { isTTY: tty, write: (text: string) => chunks.push(text) > 0 } as unknown as NodeJS.WriteStream,
  };
};

describe('progress', () => {
  it('prints one plain line per event in CI or a pipe', () => {
    const { chunks, stream } = sink(false);
    const progress = createProgress(stream, {});
    expect(progress).toBeInstanceOf(PlainProgress);
    progress.begin('server/a', 'create');
    progress.end('server/a', true, 'created');
    expect(chunks.join('')).toMatch(/^ {2}server\/a: create\n✓ server\/a: created \(\d+\.\ds\)\n$/);
    expect(createProgress(sink(true).stream, { CI: 'true' })).toBeInstanceOf(PlainProgress);
  });

  it('updates running lines in place on a terminal', () => {
    const { chunks, stream } = sink(true);
    const progress = createProgress(stream, {});
    expect(progress).toBeInstanceOf(LiveProgress);
    progress.begin('server/a', 'create');
    progress.begin('server/b', 'create');
    progress.note('server/a', 'attach to net');
    progress.end('server/a', true, 'created');
    progress.close();
    const out = chunks.join('');
    // Each redraw moves up over the live block and clears it before printing it again.
    expect(out).toContain('\x1b[2A\x1b[J');
    expect(out).toContain('attach to net');
    expect(chunks.at(-1)).not.toContain('server/a');
  });
});
