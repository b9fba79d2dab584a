// An Oxygen that runs NixOS: chosen by the world and vars.OXYGEN.system_flake; its deployment
// carries the keys and the image, and leaves the units to the module, deployed by nixos-rebuild;
// its generation moves with the module's sources and data, and with nothing else.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setVar } from '@personal-cloud/cluster';
import { generateOpenSshKeyPair } from '@personal-cloud/vault';
import { onPath } from '../../../tools/test-support/external-tools';
import { OXYGEN_NIX_DIR } from '../src/check/oxygen-module-eval';
import { chooseOxygenSystem } from '../src/provision/choose-oxygen-executor';
import { oxygenDeployment } from '../src/provision/oxygen-deployment';
import type { OxygenNixos } from '../src/provision/oxygen-nixos';
import { builderVars, renderAt } from './fixtures';

const TOKENS = {
  BUILDER_SSH_HOST_KEY: generateOpenSshKeyPair('pc-builder').privateKey,
  K3S_TOKEN: 'a-k3s-token',
  ATTIC_TOKEN_HS256_SECRET: 'b'.repeat(128),
};
const NIXOS: OxygenNixos = {
  systemFlake: 'github:me/system',
  flakeDir: '/repo/projects/builder/nix',
  renderDir: '/repo/dist/builder/render',
  sources: { 'flake.nix': '{ }' },
};

function deploy(nixos: OxygenNixos | null, rendered = renderAt().files) {
  return oxygenDeployment({
    cluster: 'pc',
    rendered,
    tokens: TOKENS,
    builder: { cpus: 6, memoryGb: 16 },
    k3sTokenName: 'K3S_TOKEN',
    cacheUrl: 'https://cache.example.org/pc',
    hostname: 'oxygen',
    nixos,
  });
}

describe('which Oxygen', () => {
  it('runs NixOS against Hetzner when the operator named its system flake; the sandbox and the rest take plain files', async () => {
    const vars = setVar(builderVars(), 'OXYGEN.system_flake', 'github:me/system');
    expect(await chooseOxygenSystem({ kind: 'sandbox' }, vars, 'dist/builder/render')).toBeNull();
    expect(await chooseOxygenSystem({ kind: 'hetzner' }, builderVars(), 'dist/builder/render')).toBeNull();
    const nixos = (await chooseOxygenSystem({ kind: 'hetzner' }, vars, 'dist/builder/render'))!;
    expect(nixos.systemFlake).toBe('github:me/system');
    expect(nixos.flakeDir).toBe(OXYGEN_NIX_DIR);
    expect(nixos.renderDir).toBe(join(process.cwd(), 'dist/builder/render'));
    expect(Object.keys(nixos.sources)).toEqual([
      'flake.nix',
      'modules/default.nix',
      'modules/oxygen-options.nix',
      'modules/oxygen.nix',
    ]);
  });

  it.runIf(onPath('nix-instantiate'))('has a flake Nix parses', () => {
    execFileSync('nix-instantiate', ['--parse', join(OXYGEN_NIX_DIR, 'flake.nix')], { stdio: 'pipe' });
  });
});

describe("a NixOS Oxygen's deployment", () => {
  it('carries the keys, the config files and the image, and leaves the units to the module', () => {
    const deployment = deploy(NIXOS);
    const paths = deployment.files.map((f) => f.path);
    expect(paths.filter((p) => p.startsWith('/etc/systemd/') || p === '/etc/rancher/k3s/config.yaml')).toEqual([]);
    expect(paths).toContain('/var/lib/personal-cloud/builder/keys/attic/config.toml');
    expect(paths).toContain('/var/lib/personal-cloud/secrets/k3s-token');
    expect(deployment.commands).toEqual([
      'podman build --tag localhost/personal-cloud-builder:1 /etc/personal-cloud/builder/image',
    ]);
    expect(deployment.switch).toEqual({
      args: [
        'switch',
        '--flake',
        'path:/repo/projects/builder/nix#oxygen',
        '--no-write-lock-file',
        '--override-input',
        'system',
        'github:me/system',
        '--override-input',
        'render',
        'path:/repo/dist/builder/render',
      ],
      afterwards: ['systemctl restart podman-personal-cloud-builder.service'],
    });
    expect(deploy(null).switch).toBeNull();
  });

  it("moves its generation with the module's sources and data, and only with them", () => {
    const generation = deploy(NIXOS).generation;
    expect(deploy(NIXOS).generation).toBe(generation);
    expect(deploy({ ...NIXOS, sources: { 'flake.nix': '{ changed }' } }).generation).not.toBe(generation);
    const files = renderAt().files;
    const data = { ...files, 'nixos/oxygen.json': files['nixos/oxygen.json']!.replace('"cpus": 6', '"cpus": 5') };
    expect(data['nixos/oxygen.json']).not.toBe(files['nixos/oxygen.json']);
    expect(deploy(NIXOS, data).generation).not.toBe(generation);
    expect(deploy(null).generation).not.toBe(generation);
  });
});
