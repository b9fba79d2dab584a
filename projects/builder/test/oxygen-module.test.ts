// Oxygen's NixOS module, evaluated with nixpkgs' real lib over the data render writes: the builder
// container under Podman with its limits and privileges, Tailscale, and the k3s agent with the
// config's labels and taints, tied to tailscaled.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, expect, it } from 'vitest';
import { nodesInPhase } from '@personal-cloud/cluster';
import { describeNeeding, onPath } from '../../../tools/test-support/external-tools';
import { evaluateOxygenModule, sharedNixLib } from '../src/check/oxygen-module-eval';
import { OXYGEN_MODULE_DATA, renderBuilder } from '../src/render/render-builder';
import { builderConfig, builderVars, NIXPKGS, OXYGEN_IP } from './fixtures';

const shared = onPath('nix-instantiate') ? sharedNixLib(fileURLToPath(new URL('../../..', import.meta.url))) : null;

/** The stand-in's systemd.services defaults, as NixOS has them. */
const UNIT_DEFAULTS = { description: '', after: [], partOf: [], bindsTo: [], wantedBy: [], serviceConfig: {} };

describeNeeding(
  { what: 'nix-instantiate and ../shared/nix', available: shared !== null },
  "Oxygen's NixOS module",
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'pc-oxygen-module-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it('runs the builder under Podman, privileged and limited, and the k3s agent tainted and tied to tailscaled', async () => {
      const config = builderConfig(4);
      const { files } = renderBuilder({ config, nodes: nodesInPhase(config), vars: builderVars(), nixpkgs: NIXPKGS });
      const file = join(dir, 'oxygen.json');
      writeFileSync(file, files[OXYGEN_MODULE_DATA]!);
      const result = await evaluateOxygenModule(shared!, file);
      expect(result).toEqual({
        ok: true,
        value: {
          tailscale: true,
          tailscaleUpFlags: ['--accept-routes'],
          podman: true,
          containers: {
            'personal-cloud-builder': {
              image: 'localhost/personal-cloud-builder:1',
              autoStart: true,
              volumes: [
                'personal-cloud-builder-nix:/nix',
                '/var/lib/personal-cloud/builder/keys:/run/builder-keys:ro',
                '/etc/personal-cloud/builder/sshd_config:/etc/ssh/sshd_config:ro',
                '/etc/personal-cloud/builder/nix.conf:/etc/nix/nix.conf:ro',
                '/etc/personal-cloud/builder/authorized_keys:/etc/ssh/authorized_keys/nix-builder:ro',
              ],
              extraOptions: [
                '--privileged',
                '--network=host',
                '--cpus=6',
                '--memory=16g',
                '--health-cmd=/usr/local/bin/healthcheck.sh',
                '--health-on-failure=kill',
              ],
            },
          },
          k3s: {
            enable: true,
            role: 'agent',
            serverAddr: 'https://10.0.1.10:6443',
            tokenFile: '/var/lib/personal-cloud/secrets/k3s-token',
            extraFlags: [
              `--node-ip=${OXYGEN_IP}`,
              '--flannel-iface=tailscale0',
              '--node-label=personal-cloud/builder=true',
              '--node-taint=personal-cloud/builder=true:NoSchedule',
            ],
          },
          k3sUnit: { ...UNIT_DEFAULTS, after: ['tailscaled.service'], partOf: ['tailscaled.service'] },
          pushUnit: {
            ...UNIT_DEFAULTS,
            description: 'personal-cloud Nix builder push loop (attic watch-store)',
            after: ['podman-personal-cloud-builder.service'],
            bindsTo: ['podman-personal-cloud-builder.service'],
            wantedBy: ['podman-personal-cloud-builder.service'],
            serviceConfig: {
              ExecStart:
                "/run/current-system/sw/bin/podman exec '--env=XDG_CONFIG_HOME=/run/builder-keys' personal-cloud-builder /opt/attic/bin/attic watch-store pc:pc",
              Restart: 'always',
              RestartSec: '30s',
            },
          },
        },
      });
    });
  },
);
