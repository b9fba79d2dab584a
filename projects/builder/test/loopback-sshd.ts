// An sshd on loopback standing in for a remote machine, on a port the kernel picks: Node listens
// on port 0 and hands each connection to `sshd -i` (inetd mode), so no fixed port and no race
// for one. sshd wants its privilege separation folder /run/sshd; each sshd runs in a private
// mount namespace with a fresh /run holding it, so nothing on this machine changes (root and
// unshare needed). Sessions get `env` through SetEnv.
import { execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer, type Server, type AddressInfo } from 'node:net';
import { join } from 'node:path';

export const SSHD = '/usr/sbin/sshd';

export interface LoopbackSshd {
  port: number;
  /** `ssh-ed25519 AAAA…` of its host key. */
  hostPublicKey: string;
  /** The private key authorized for root, as a file. */
  clientKeyFile: string;
  stop(): Promise<void>;
}

export async function startLoopbackSshd(dir: string, env: Record<string, string>): Promise<LoopbackSshd> {
  const key = (name: string) => {
    const file = join(dir, name);
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', name, '-f', file]);
    return file;
  };
  const hostKey = key('sshd-host-key');
  const clientKeyFile = key('client-key');
  const hostPublicKey = execFileSync('ssh-keygen', ['-y', '-f', hostKey], { encoding: 'utf8' })
    .split(' ')
    .slice(0, 2)
    .join(' ');
  writeFileSync(
    join(dir, 'authorized_keys'),
    execFileSync('ssh-keygen', ['-y', '-f', clientKeyFile], { encoding: 'utf8' }),
  );
  const config = join(dir, 'sshd_config');
  writeFileSync(
    config,
    [
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
      'PermitRootLogin prohibit-password',
      'AuthenticationMethods publickey',
      // The temporary folder is not root's alone.
      'StrictModes no',
      'UsePAM no',
      'PidFile none',
      'LogLevel ERROR',
      `SetEnv ${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join(' ')}`,
      '',
    ].join('\n'),
  );
  const sessions = new Set<ReturnType<typeof spawn>>();
  const server: Server = createServer({ pauseOnConnect: true }, (socket) => {
    const sshd = spawn(
      'unshare',
      [
        '--mount',
        'sh',
        '-c',
        `mount -t tmpfs tmpfs /run && mkdir -m 0755 /run/sshd && exec ${SSHD} -i -e -f "$0"`,
        config,
      ],
      {
        stdio: [socket, socket, 'pipe'],
      },
    );
    sessions.add(sshd);
    sshd.on('exit', () => {
      sessions.delete(sshd);
      socket.destroy();
    });
  });
  await new Promise<void>((resolvePromise) => server.listen(0, '127.0.0.1', resolvePromise));
  return {
    port: (server.address() as AddressInfo).port,
    hostPublicKey,
    clientKeyFile,
    stop: async () => {
      for (const sshd of sessions) sshd.kill();
      await new Promise<void>((resolvePromise) => server.close(() => resolvePromise()));
    },
  };
}
