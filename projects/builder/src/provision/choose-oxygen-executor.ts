// The world decides how Oxygen is reached: in the sandbox world its machine model, against
// Hetzner SSH to Oxygen's Tailscale name. The one place that knows the difference.
import { lookupVar, type VarsDocument } from '@personal-cloud/cluster';
import type { World } from '@personal-cloud/infra';
import { resolve } from 'node:path';
import { OXYGEN_NIX_DIR } from '../check/oxygen-module-eval';
import type { OxygenExecutor } from './oxygen-executor';
import { kubectlNodeRemover, type NodeRemover } from '../destroy/destroy-oxygen';
import { kubectlWith } from './kubectl';
import { OXYGEN_SYSTEM_FLAKE_VAR, readOxygenFlakeSources, type OxygenNixos } from './oxygen-nixos';
import { probingOncePerChange } from './probe-once';
import { SandboxOxygenExecutor } from './sandbox-oxygen-executor';
import { SshOxygenExecutor } from './ssh-oxygen-executor';
import { KUBECONFIG_TOKEN, OPERATOR_KEY_TOKEN } from '@personal-cloud/layer-kit';

/** Oxygen's own sshd host key, when the operator has recorded it; otherwise their known_hosts decides. */
export const OXYGEN_HOST_KEY_VAR = 'OXYGEN.ssh_host_public_key';

/**
 * How Oxygen's units get there. Against Hetzner, an Oxygen whose system flake the operator has
 * recorded (vars.OXYGEN.system_flake) runs NixOS and takes the module with nixos-rebuild; one
 * without it takes the plain files. The sandbox's model takes the plain files' steps.
 */
export async function chooseOxygenSystem(
  world: Pick<World, 'kind'>,
  vars: VarsDocument,
  renderDir: string,
): Promise<OxygenNixos | null> {
  const systemFlake = lookupVar(vars, OXYGEN_SYSTEM_FLAKE_VAR);
  if (world.kind === 'sandbox' || systemFlake === undefined || systemFlake === '') return null;
  return {
    systemFlake: String(systemFlake),
    flakeDir: OXYGEN_NIX_DIR,
    renderDir: resolve(renderDir),
    sources: await readOxygenFlakeSources(),
  };
}

export function chooseOxygenExecutor(
  world: Pick<World, 'kind' | 'endpoint'>,
  vars: VarsDocument,
  tokens: Record<string, string>,
): OxygenExecutor {
  if (world.kind === 'sandbox')
    return probingOncePerChange(new SandboxOxygenExecutor({ origin: new URL(world.endpoint).origin }));
  const hostKey = lookupVar(vars, OXYGEN_HOST_KEY_VAR);
  return probingOncePerChange(
    new SshOxygenExecutor({
      operatorPrivateKey: tokens[OPERATOR_KEY_TOKEN] ?? null,
      hostPublicKey: hostKey === undefined ? null : String(hostKey),
      kubectl: tokens[KUBECONFIG_TOKEN] ? kubectlWith(tokens[KUBECONFIG_TOKEN]) : null,
    }),
  );
}

/** Who deletes Oxygen's Node object: the sandbox's model through a server, else kubectl with the vault's kubeconfig. */
export function chooseNodeRemover(
  world: Pick<World, 'kind' | 'endpoint'>,
  tokens: Record<string, string>,
): NodeRemover {
  if (world.kind === 'sandbox') return new SandboxOxygenExecutor({ origin: new URL(world.endpoint).origin });
  return kubectlNodeRemover(tokens[KUBECONFIG_TOKEN] ? kubectlWith(tokens[KUBECONFIG_TOKEN]) : null);
}
