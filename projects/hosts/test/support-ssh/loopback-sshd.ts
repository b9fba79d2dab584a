// A real sshd on loopback for the SSH executor's tests: its own config, host key, authorized key
// and a PATH with stand-in `k3s`, `systemctl` and `nixos-rebuild` scripts. Waits for sshd's "listening" line.
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFile, chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateOpenSshKeyPair, type OpenSshKeyPair } from '@personal-cloud/vault';

export interface LoopbackSshd {
  address: string;
  hostKey: OpenSshKeyPair;
  operatorKey: OpenSshKeyPair;
  /** The file the stand-in scripts append their arguments to. */
  callLog: string;
  kubeconfigPath: string;
  /** Adds a public key to root's authorized keys. */
  authorize(publicKey: string): Promise<void>;
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the kernel's pick for port 0). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const K3S_STAND_IN = `#!/bin/sh
echo "k3s $*" >> "$CALL_LOG"
case "$*" in
  --version) echo "k3s version v1.34.1+k3s1 (abcdef)"; echo "go version go1.24" ;;
  "kubectl get node demo-master-1 "*) printf 'True true true' ;;
  "kubectl get node demo-worker-1 "*) printf 'False  ' ;;
  "kubectl get nodes -l node-role.kubernetes.io/etcd=true "*) printf 'demo-master-1 True\\ndemo-master-2 False\\n' ;;
  "kubectl delete node demo-master-2") echo 'node "demo-master-2" deleted' ;;
  "kubectl get node demo-worker-2 --ignore-not-found -o name") echo 'node/demo-worker-2' ;;
  "kubectl get node demo-worker-3 --ignore-not-found -o name") ;;
  "kubectl drain demo-worker-2 --ignore-daemonsets --delete-emptydir-data --timeout=10m") echo 'node/demo-worker-2 drained' ;;
  "kubectl delete node "*" --ignore-not-found") echo "node \\"$4\\" deleted" ;;
  "kubectl delete node "*) echo "Error from server (NotFound): nodes \\"$4\\" not found" >&2; exit 1 ;;
  *) echo "k3s stand-in: unexpected arguments: $*" >&2; exit 2 ;;
esac
`;

export async function startLoopbackSshd(): Promise<LoopbackSshd> {
  const dir = await mkdtemp(join(tmpdir(), 'hosts-sshd-'));
  const bin = join(dir, 'bin');
  await mkdir(bin);
  const hostKey = generateOpenSshKeyPair('sshd-test-host');
  const operatorKey = generateOpenSshKeyPair('operator');
  const callLog = join(dir, 'calls.log');
  const kubeconfigPath = join(dir, 'k3s.yaml');
  await writeFile(join(dir, 'host_key'), hostKey.privateKey, { mode: 0o600 });
  await writeFile(join(dir, 'authorized_keys'), `${operatorKey.publicKey}\n`, { mode: 0o600 });
  await writeFile(join(bin, 'k3s'), K3S_STAND_IN, { mode: 0o755 });
  await writeFile(join(bin, 'systemctl'), '#!/bin/sh\necho "systemctl $*" >> "$CALL_LOG"\n', { mode: 0o755 });
  await writeFile(callLog, '');
  await chmod(callLog, 0o666);
  await writeFile(
    kubeconfigPath,
    'apiVersion: v1\nclusters:\n- cluster:\n    server: https://127.0.0.1:6443\n  name: default\n',
  );
  const port = await freePort();
  const config = [
    `Port ${port}`,
    'ListenAddress 127.0.0.1',
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    'PermitRootLogin prohibit-password',
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'StrictModes no',
    `SetEnv PATH=${bin}:/usr/bin:/bin CALL_LOG=${callLog}`,
    '',
  ].join('\n');
  await writeFile(join(dir, 'sshd_config'), config);
  // sshd run by root insists on its privilege separation directory, which installing
  // openssh-server creates and a container that never started the service may lack.
  if (process.getuid?.() === 0) await mkdir('/run/sshd', { recursive: true, mode: 0o755 });
  const child: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', join(dir, 'sshd_config')], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes('Server listening')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`sshd exited with ${code}: ${seen}`)));
  });
  return {
    address: `127.0.0.1:${port}`,
    hostKey,
    operatorKey,
    callLog,
    kubeconfigPath,
    authorize: (publicKey) => appendFile(join(dir, 'authorized_keys'), `${publicKey}\n`),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        child.kill('SIGTERM');
        await exited;
      }
      await rm(dir, { recursive: true, force: true });
    },
  };
}
