// The world decides how Oxygen is reached: in the sandbox world its machine model, against
// Hetzner SSH to Oxygen's Tailscale name. The one place that knows the difference.
import { lookupVar, type VarsDocument } from '@personal-cloud/cluster';
import type { World } from '@personal-cloud/infra';
import type { OxygenExecutor } from './oxygen-executor';
import { SandboxOxygenExecutor } from './sandbox-oxygen-executor';
import { SshOxygenExecutor } from './ssh-oxygen-executor';

/** Oxygen's own sshd host key, when the operator has recorded it; otherwise their known_hosts decides. */
export const OXYGEN_HOST_KEY_VAR = 'OXYGEN.ssh_host_public_key';
/** The operator's key in the vault (the sandbox world makes one; against Hetzner it is optional). */
export const OPERATOR_KEY_TOKEN = 'OPERATOR_SSH_PRIVATE_KEY';

export function chooseOxygenExecutor(
  world: Pick<World, 'kind' | 'endpoint'>,
  vars: VarsDocument,
  tokens: Record<string, string>,
): OxygenExecutor {
  if (world.kind === 'sandbox') return new SandboxOxygenExecutor({ origin: new URL(world.endpoint).origin });
  const hostKey = lookupVar(vars, OXYGEN_HOST_KEY_VAR);
  return new SshOxygenExecutor({
    operatorPrivateKey: tokens[OPERATOR_KEY_TOKEN] ?? null,
    hostPublicKey: hostKey === undefined ? null : String(hostKey),
  });
}
