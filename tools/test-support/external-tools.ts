import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, it } from 'vitest';

/** True when `command` is on PATH. */
export function onPath(command: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * A describe block that needs something outside npm: an external tool, or a file such as the
 * OpenAPI spec. It runs when the need is met. When it is not, it is skipped with the reason in
 * its name, except under CLOUD_REQUIRE_TOOLS=1 (which CI sets), where it fails instead, so CI
 * can never pass by skipping.
 */
export function describeNeeding(need: { what: string; available: boolean }, name: string, body: () => void): void {
  if (need.available) {
    describe(name, body);
    return;
  }
  if (process.env.CLOUD_REQUIRE_TOOLS === '1') {
    describe(name, () => {
      it(`needs ${need.what}`, () => {
        throw new Error(`${need.what} is missing, and CLOUD_REQUIRE_TOOLS=1 requires it: install it (see .ci/run).`);
      });
    });
    return;
  }
  describe.skip(`${name} (skipped: ${need.what} is missing)`, body);
}

/** A describe block that needs an executable on PATH. */
export function describeWithTool(command: string, name: string, body: () => void): void {
  describeNeeding({ what: `the \`${command}\` command`, available: onPath(command) }, name, body);
}

/** A describe block that needs a file (by absolute path). */
export function describeWithFile(path: string, name: string, body: () => void): void {
  describeNeeding({ what: `the file ${path}`, available: existsSync(path) }, name, body);
}
