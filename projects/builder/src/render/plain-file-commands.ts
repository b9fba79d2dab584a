// For an Oxygen that does not run NixOS: the commands that put the rendered files in place, in
// order. Nothing runs them for the operator; README says so.
import { BUILDER, OXYGEN_K3S, PUSH } from './builder-settings';
import { HOST_KEY_IN_CONTAINER } from './container-files';
import { OPERATOR_FILES } from './operator-files';
import { ATTIC_TOKEN_SECRET, OPERATOR_BUILDER_CLIENT_KEY } from '../keys/builder-keys';

export function plainFileCommands(roles: { builder: boolean; worker: boolean }): string {
  const lines = [
    '# Oxygen without NixOS: run from dist/builder/render/, as root, on Oxygen (and the operator part on your machine).',
  ];
  if (roles.builder)
    lines.push(
      '',
      '# The builder container. The keys come from the vault (npm run state -- show tokens), never from git or the image:',
      `install -d -m 0700 ${BUILDER.keysDir}`,
      `#   write tokens.BUILDER_SSH_HOST_KEY to ${BUILDER.keysDir}/${HOST_KEY_IN_CONTAINER.split('/').pop()} with mode 0600`,
      `install -d -m 0755 ${BUILDER.configDir}`,
      `install -m 0644 container/sshd_config container/nix.conf container/authorized_keys ${BUILDER.configDir}/`,
      `podman build --tag ${BUILDER.image} container`,
      `#   write attic's client config with the push token to ${PUSH.configFile} with mode 0600 (builder:provision makes it from tokens.${ATTIC_TOKEN_SECRET})`,
      `install -m 0644 systemd/${BUILDER.unit} systemd/${PUSH.unit} /etc/systemd/system/`,
      'systemctl daemon-reload',
      `systemctl enable --now ${BUILDER.unit} ${PUSH.unit}`,
      '',
      "# The operator's machine:",
      `#   write tokens.BUILDER_CLIENT_KEY to ${OPERATOR_BUILDER_CLIENT_KEY} with mode 0600`,
      `install -m 0644 operator/machines ${OPERATOR_FILES.machines}`,
      `install -m 0644 operator/ssh_config ${OPERATOR_FILES.sshConfig}`,
      '#   append operator/nix.conf to /etc/nix/nix.conf, then: systemctl restart nix-daemon',
    );
  if (roles.worker)
    lines.push(
      '',
      `# The k3s agent (the k3s binary of the cluster's version at ${OXYGEN_K3S.binary}):`,
      `#   write the cluster's k3s token to ${OXYGEN_K3S.tokenFile} with mode 0600`,
      // The servers' subnet route is how the agent reaches the nodes' private addresses; Linux ignores it unless asked.
      'tailscale set --accept-routes',
      `install -D -m 0644 k3s/config.yaml ${OXYGEN_K3S.configFile}`,
      `install -m 0644 systemd/${OXYGEN_K3S.unit} /etc/systemd/system/`,
      'systemctl daemon-reload',
      `systemctl enable --now ${OXYGEN_K3S.unit}`,
    );
  return `${lines.join('\n')}\n`;
}
