// `sshd -t` on the rendered sshd_config, exactly as rendered. sshd's test mode wants its
// privilege separation folder (/run/sshd) and the host key the file names (under /run, where the
// container mounts it), so it runs in a private mount namespace with a fresh /run holding both and
// a throwaway key: nothing on this machine changes. That needs root and unshare.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** sshd's complaint about the file, or undefined when it accepts it. */
export async function sshdConfigProblem(
  sshd: string,
  configFile: string,
  hostKeyPath: string,
): Promise<string | undefined> {
  const script = [
    'set -e',
    'mount -t tmpfs tmpfs /run',
    'mkdir -m 0755 /run/sshd',
    `mkdir -p "$(dirname "$2")"`,
    'ssh-keygen -q -t ed25519 -N "" -f "$2"',
    '"$0" -t -f "$1"',
  ].join('\n');
  try {
    await run('unshare', ['--mount', 'sh', '-c', script, sshd, configFile, hostKeyPath]);
    return undefined;
  } catch (error) {
    const { stderr, message } = error as { stderr?: string; message: string };
    return (stderr || message).trim().split('\n').join('; ');
  }
}
