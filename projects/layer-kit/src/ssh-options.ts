// How every layer's executor runs OpenSSH against a machine it set up (hosts' nodes, the builder's
// Oxygen): no user config, the operator's key only, the machine's host key pinned in a known_hosts
// file of its own (never a key it has not seen), no prompt, a bounded connect. And how a failed
// ssh is read: a changed host key, a machine that does not answer, or a command that failed.
// Here because infra is the one package both hosts and builder import.

export interface SshOptionsInput {
  /** The operator's private key file; null uses the operator's agent and ~/.ssh as they are. */
  identityFile: string | null;
  /** A known_hosts file holding only the machine's key; null lets the operator's known_hosts decide. */
  knownHostsFile: string | null;
  port: string;
  connectTimeoutSeconds: number;
  /** A control socket to share one connection between sessions; none by default. */
  controlPath?: string;
}

/** ssh's options (before the destination), in one order everywhere. */
export function sshOptions(input: SshOptionsInput): string[] {
  return [
    '-F',
    '/dev/null',
    ...(input.identityFile ? ['-i', input.identityFile, '-o', 'IdentitiesOnly=yes'] : []),
    ...(input.knownHostsFile
      ? ['-o', `UserKnownHostsFile=${input.knownHostsFile}`, '-o', 'GlobalKnownHostsFile=/dev/null']
      : []),
    ...(input.controlPath ? ['-o', `ControlPath=${input.controlPath}`] : []),
    '-o',
    'StrictHostKeyChecking=yes',
    '-o',
    'BatchMode=yes',
    '-o',
    `ConnectTimeout=${input.connectTimeoutSeconds}`,
    '-o',
    'LogLevel=ERROR',
    '-p',
    input.port,
  ];
}

/** `host` or `host:port` → [host, port], port 22 by default. */
export function splitSshAddress(address: string): [host: string, port: string] {
  const match = /^(.*):(\d+)$/.exec(address);
  return match ? [match[1]!, match[2]!] : [address, '22'];
}

/** The known_hosts line naming `host` on `port` with `publicKey` (its comment dropped). */
export function knownHostsLine(host: string, port: string, publicKey: string): string {
  const pattern = port === '22' ? host : `[${host}]:${port}`;
  return `${pattern} ${publicKey.split(' ').slice(0, 2).join(' ')}\n`;
}

/** What a failed ssh (or a tool over it) means, from its exit code and stderr. */
export function sshFailureKind(exitCode: number | null, stderr: string): 'host-key' | 'unreachable' | 'failed' {
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|host key for .* has changed/i.test(stderr))
    return 'host-key';
  if (
    exitCode === 255 &&
    /Connection refused|timed out|No route to host|Could not resolve|Network is unreachable|Connection closed|Connection reset/i.test(
      stderr,
    )
  )
    return 'unreachable';
  return 'failed';
}

/** ssh's last stderr line, the one that says what went wrong. */
export function lastStderrLine(stderr: string): string {
  return stderr.trim().split('\n').filter(Boolean).at(-1) ?? '';
}
