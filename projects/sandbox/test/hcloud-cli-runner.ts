// Hetzner's own hcloud CLI, run against a sandbox's URL with its config in a test's own home.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { TOKEN } from './sandbox-fixture';

/** Runs asynchronously: a synchronous run would block a sandbox serving it in this very process. */
export function runHcloud(home: string, url: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      'hcloud',
      ['--poll-interval', '20ms', ...args],
      {
        env: {
          PATH: process.env.PATH,
          HOME: home,
          HCLOUD_CONFIG: join(home, 'cli.toml'),
          HCLOUD_ENDPOINT: url,
          HCLOUD_TOKEN: TOKEN,
        },
        timeout: 20_000,
      },
      (error, stdout, stderr) =>
        error ? reject(new Error(`hcloud ${args.join(' ')} failed: ${stderr || error.message}`)) : resolve(stdout),
    ),
  );
}
