// The one ssh option list and failure reading that the hosts' and the builder's executors share.
import { describe, expect, it } from 'vitest';
import { knownHostsLine, splitSshAddress, sshFailureKind, sshOptions } from '../src/ssh-options';

describe('ssh options', () => {
  it('pins the host key and the identity when given, and lets the operator decide otherwise', () => {
    const pinned = { identityFile: '/s/key', knownHostsFile: '/s/kh', controlPath: '/s/cm-%C' };
    expect(sshOptions({ ...pinned, port: '2222', connectTimeoutSeconds: 5 })).toEqual([
      ...['-F', '/dev/null', '-i', '/s/key', '-o', 'IdentitiesOnly=yes'],
      ...['-o', 'UserKnownHostsFile=/s/kh', '-o', 'GlobalKnownHostsFile=/dev/null', '-o', 'ControlPath=/s/cm-%C'],
      ...['-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=5', '-o', 'LogLevel=ERROR'],
      ...['-p', '2222'],
    ]);
    expect(sshOptions({ identityFile: null, knownHostsFile: null, port: '22', connectTimeoutSeconds: 10 })).toEqual([
      ...['-F', '/dev/null', '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes'],
      ...['-o', 'ConnectTimeout=10', '-o', 'LogLevel=ERROR', '-p', '22'],
    ]);
  });

  it('names a host on another port as known_hosts does, without the key comment', () => {
    expect(splitSshAddress('oxygen')).toEqual(['oxygen', '22']);
    expect(splitSshAddress('127.0.0.1:2222')).toEqual(['127.0.0.1', '2222']);
    expect(knownHostsLine('oxygen', '22', 'ssh-ed25519 AAAA root@oxygen')).toBe('oxygen ssh-ed25519 AAAA\n');
    expect(knownHostsLine('127.0.0.1', '2222', 'ssh-ed25519 AAAA')).toBe('[127.0.0.1]:2222 ssh-ed25519 AAAA\n');
  });

  it('reads a failure as a changed host key, a machine that does not answer, or a failed command', () => {
    expect(sshFailureKind(255, 'Host key verification failed.')).toBe('host-key');
    expect(sshFailureKind(255, 'ssh: connect to host 127.0.0.1 port 1: Connection refused')).toBe('unreachable');
    // A command's own exit code is never the connection's, whatever it printed.
    expect(sshFailureKind(1, 'Connection refused')).toBe('failed');
    expect(sshFailureKind(1, 'Job failed')).toBe('failed');
  });
});
