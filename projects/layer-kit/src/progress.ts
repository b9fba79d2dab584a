// One line per resource. On a terminal the lines of running work update in place; in CI (or
// any pipe) every event is one plain line, so logs stay readable.
import pc from 'picocolors';

export interface Progress {
  begin(key: string, text: string): void;
  note(key: string, text: string): void;
  end(key: string, ok: boolean, text: string): void;
  /** A line that is not about one resource. */
  log(text: string): void;
  close(): void;
}

export function createProgress(
  stream: NodeJS.WriteStream = process.stdout,
  env: NodeJS.ProcessEnv = process.env,
): Progress {
  return stream.isTTY && !env.CI ? new LiveProgress(stream) : new PlainProgress(stream);
}

const elapsed = (since: number) => `${((Date.now() - since) / 1000).toFixed(1)}s`;

export class PlainProgress implements Progress {
  private readonly started = new Map<string, number>();
  constructor(private readonly out: { write(text: string): unknown }) {}
  begin(key: string, text: string) {
    this.started.set(key, Date.now());
    this.out.write(`  ${key}: ${text}\n`);
  }
  note(key: string, text: string) {
    this.out.write(`  ${key}: ${text}\n`);
  }
  end(key: string, ok: boolean, text: string) {
    this.out.write(`${ok ? '✓' : '✗'} ${key}: ${text} (${elapsed(this.started.get(key) ?? Date.now())})\n`);
  }
  log(text: string) {
    this.out.write(`${text}\n`);
  }
  close() {}
}

export class LiveProgress implements Progress {
  private readonly active = new Map<string, { text: string; since: number }>();
  private drawn = 0;
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly out: NodeJS.WriteStream) {}

  begin(key: string, text: string) {
    this.active.set(key, { text, since: Date.now() });
    this.timer ??= setInterval(() => this.redraw([]), 250).unref();
    this.redraw([]);
  }
  note(key: string, text: string) {
    const line = this.active.get(key);
    if (line) line.text = text;
    this.redraw([]);
  }
  end(key: string, ok: boolean, text: string) {
    const since = this.active.get(key)?.since ?? Date.now();
    this.active.delete(key);
    this.redraw([`${ok ? pc.green('✓') : pc.red('✗')} ${key}: ${text} ${pc.dim(elapsed(since))}`]);
  }
  log(text: string) {
    this.redraw([text]);
  }
  close() {
    clearInterval(this.timer);
    this.timer = undefined;
    this.redraw([]);
  }

  /** Clears the live block, prints finished lines above it, and draws the block again. */
  private redraw(finished: string[]) {
    const up = this.drawn ? `\x1b[${this.drawn}A\x1b[J` : '';
    const live = [...this.active].map(([key, l]) => `${pc.cyan('…')} ${key}: ${l.text} ${pc.dim(elapsed(l.since))}`);
    this.out.write(up + [...finished, ...live].map((l) => `${l}\n`).join(''));
    this.drawn = live.length;
  }
}
