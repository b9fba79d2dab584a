import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { describeNeeding } from '../../../tools/test-support/external-tools';
import { acceptedFlags, unacceptedFlags } from '../src/check/nixos-anywhere-flags';
import { nixosAnywhereArgs } from '../src/install/nixos-anywhere-args';
import { NIX_NEEDS, SHARED } from './support';

const ARGS = nixosAnywhereArgs({
  flake: '/tmp/flake',
  node: 'master-1',
  targetHost: 'root@192.0.2.10',
  identityFile: '/tmp/id',
  knownHostsFile: '/tmp/known_hosts',
  extraFilesDir: '/tmp/extra',
  builders: 'ssh://oxygen x86_64-linux',
});

const SCRIPT = `
parseArgs() {
  while [[ $# -gt 0 ]]; do
    case "$1" in
    -f | --flake)
      flake=$2
      shift
      ;;
    --build-on)
      case "$2" in
      auto | local | remote)
        buildOn=$2
        ;;
      *)
        abort "Unknown mode"
        ;;
      esac
      shift
      ;;
    *)
      sshConnection="$1"
      ;;
    esac
    shift
  done
}
`;

describe('the flags nixos-anywhere accepts', () => {
  it('are read from the case arms of its parser, with the values a flag allows', () => {
    const accepted = acceptedFlags(SCRIPT);
    expect([...accepted.flags].sort()).toEqual(['--build-on', '--flake', '-f']);
    expect([...accepted.values.get('--build-on')!]).toEqual(['auto', 'local', 'remote']);
    expect(unacceptedFlags(['--flake', 'x#y', '--build-on', 'local'], accepted)).toEqual([]);
    expect(unacceptedFlags(['--override-input', 'render', 'path:/x', '--build-on', 'target'], accepted)).toEqual([
      'nixos-anywhere does not accept --override-input',
      "nixos-anywhere's --build-on takes auto, local, remote, not target",
    ]);
  });
});

describeNeeding(NIX_NEEDS, 'the install command line', () => {
  it('uses only flags and values the real nixos-anywhere script accepts', () => {
    const accepted = acceptedFlags(readFileSync(SHARED!.nixosAnywhereScript, 'utf8'));
    expect(accepted.flags.size).toBeGreaterThan(30);
    expect(ARGS).toEqual(
      expect.arrayContaining(['--build-on', 'local', '--no-disko-deps', '--extra-files', '/tmp/extra']),
    );
    expect(unacceptedFlags(ARGS, accepted)).toEqual([]);
    // nixos-anywhere has no --override-input: the flake copy is locked before it runs.
    expect(unacceptedFlags(['--override-input'], accepted)).toEqual([
      'nixos-anywhere does not accept --override-input',
    ]);
  });
});
