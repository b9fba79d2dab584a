// What provision puts on Oxygen, from what render made and the vault's tokens: each file with its
// place and mode, then the commands that start what the files describe, in order. The generation
// is a hash over all of it, and Oxygen keeps it in a marker written last, so a deploy that stops
// half way is done again on the next run, and a run that finds the same generation does nothing.
// Pure. The keys are in `files` only: the generation is a hash, and the sandbox's journal gets
// the paths, never the contents.
import { createHash } from 'node:crypto';
import { CloudError } from '@personal-cloud/cluster';
import { ATTIC_TOKEN_SECRET, builderKeys } from '../keys/builder-keys';
import { BUILDER, OXYGEN_K3S, PUSH } from '../render/builder-settings';
import { OXYGEN_MODULE_DATA } from '../render/render-builder';
import { atticClientConfig, atticPushToken } from './attic-push-token';
import { nixosSwitchArgs, type OxygenNixos } from './oxygen-nixos';
import { HOST_KEY_IN_CONTAINER } from '../render/container-files';

/** Where Oxygen records the generation it runs, after every other step of a deploy. */
export const GENERATION_MARKER = '/var/lib/personal-cloud/builder/generation';

export interface OxygenFile {
  path: string;
  content: string;
  mode: number;
}

export interface OxygenDeployment {
  generation: string;
  files: OxygenFile[];
  commands: string[];
  /**
   * On an Oxygen that runs NixOS: after the commands, `nixos-rebuild <args> --target-host …` from
   * the operator's machine, then `afterwards` on Oxygen. Null on the plain-file path.
   */
  switch: { args: string[]; afterwards: string[] } | null;
  /** What the deploy runs, for the sandbox's model and the log: no file contents. */
  summary: {
    container: { image: string; cpus: number; memoryGb: number } | null;
    agent: { serverAddr: string; labels: Record<string, string>; taints: string[] } | null;
  };
}

export interface OxygenDeploymentInput {
  cluster: string;
  /** dist/builder/render's files by their path there. */
  rendered: Record<string, string>;
  tokens: Record<string, string>;
  builder: { cpus: number; memoryGb: number } | null;
  /** The k3s cluster token's name in tokens (hosts' K3S_TOKEN). */
  k3sTokenName: string;
  /** The cluster's binary cache, as render's cacheUrlOf gives it: https://<host>/<cache>. */
  cacheUrl: string;
  /** Oxygen's host name: the push token's subject, and its configuration's name in the system flake. */
  hostname: string;
  /** Set when Oxygen runs NixOS: its module is deployed with nixos-rebuild, and the units come from it. */
  nixos: OxygenNixos | null;
}

export function oxygenDeployment(input: OxygenDeploymentInput): OxygenDeployment {
  const { rendered, tokens } = input;
  const files: OxygenFile[] = [];
  const commands: string[] = [];
  const token = (name: string, what: string): string => {
    const value = tokens[name];
    if (!value)
      throw new CloudError(
        `the vault's tokens lack ${name} (${what}); run \`npx nx run vault:keys\`, which makes it, then provision again.`,
      );
    return value;
  };
  const isBuilder = 'container/Containerfile' in rendered;
  const isWorker = 'k3s/config.yaml' in rendered;
  if (isBuilder) {
    const hostKeyFile = HOST_KEY_IN_CONTAINER.split('/').pop()!;
    files.push({
      path: `${BUILDER.keysDir}/${hostKeyFile}`,
      content: token(builderKeys(input.cluster).sshHostKey.token, "the builder's SSH host key"),
      mode: 0o600,
    });
    for (const name of ['sshd_config', 'nix.conf', 'authorized_keys'])
      files.push({ path: `${BUILDER.configDir}/${name}`, content: rendered[`container/${name}`]!, mode: 0o644 });
    for (const name of ['Containerfile', 'entrypoint.sh', 'healthcheck.sh'])
      files.push({
        path: `${BUILDER.configDir}/image/${name}`,
        content: rendered[`container/${name}`]!,
        mode: name.endsWith('.sh') ? 0o755 : 0o644,
      });
    const cache = new URL(input.cacheUrl);
    const cacheName = cache.pathname.replace(/^\/|\/$/g, '');
    const pushToken = atticPushToken({
      secretBase64: token(ATTIC_TOKEN_SECRET, "attic's token-signing secret, which signs Oxygen's push token"),
      cache: cacheName,
      subject: input.hostname,
    });
    files.push({
      path: PUSH.configFile,
      content: atticClientConfig(cacheName, `${cache.origin}/`, pushToken),
      mode: 0o600,
    });
    if (!input.nixos)
      for (const unit of [BUILDER.unit, PUSH.unit])
        files.push({ path: `/etc/systemd/system/${unit}`, content: rendered[`systemd/${unit}`]!, mode: 0o644 });
    commands.push(`podman build --tag ${BUILDER.image} ${BUILDER.configDir}/image`);
  }
  if (isWorker) {
    files.push({
      path: OXYGEN_K3S.tokenFile,
      content: token(input.k3sTokenName, 'the k3s cluster token'),
      mode: 0o600,
    });
    // On NixOS the module gives services.k3s the same settings as flags.
    if (!input.nixos) {
      files.push({ path: OXYGEN_K3S.configFile, content: rendered['k3s/config.yaml']!, mode: 0o644 });
      files.push({
        path: `/etc/systemd/system/${OXYGEN_K3S.unit}`,
        content: rendered[`systemd/${OXYGEN_K3S.unit}`]!,
        mode: 0o644,
      });
    }
  }
  const nixosSwitch = input.nixos
    ? {
        args: nixosSwitchArgs(input.nixos, input.hostname),
        // The image may be new under the same tag: the container starts again from it (and its push loop with it).
        afterwards: isBuilder ? [`systemctl restart podman-${BUILDER.container}.service`] : [],
      }
    : null;
  if (nixosSwitch) return finish(input, files, commands, nixosSwitch, isBuilder, isWorker);
  if (isBuilder || isWorker) commands.push('systemctl daemon-reload');
  // restart, not only start: a new generation changes the units' files or the image.
  if (isBuilder)
    commands.push(
      `systemctl enable ${BUILDER.unit} ${PUSH.unit}`,
      `systemctl restart ${BUILDER.unit}`,
      `systemctl restart ${PUSH.unit}`,
    );
  if (isWorker) commands.push(`systemctl enable ${OXYGEN_K3S.unit}`, `systemctl restart ${OXYGEN_K3S.unit}`);
  return finish(input, files, commands, null, isBuilder, isWorker);
}

/** The generation (a hash over everything Oxygen gets) and the summary the sandbox and the log see. */
function finish(
  input: OxygenDeploymentInput,
  files: OxygenFile[],
  commands: string[],
  nixosSwitch: OxygenDeployment['switch'],
  isBuilder: boolean,
  isWorker: boolean,
): OxygenDeployment {
  const { rendered } = input;
  const hash = createHash('sha256');
  for (const file of files) hash.update(`${file.path}\0${file.mode}\0${file.content}\0`);
  for (const command of commands) hash.update(`${command}\0`);
  if (nixosSwitch && input.nixos) {
    for (const part of [...nixosSwitch.args, ...nixosSwitch.afterwards]) hash.update(`${part}\0`);
    for (const [path, text] of Object.entries({
      ...input.nixos.sources,
      [OXYGEN_MODULE_DATA]: rendered[OXYGEN_MODULE_DATA],
    }))
      hash.update(`${path}\0${text}\0`);
  }
  const agent = isWorker
    ? (JSON.parse(rendered['k3s/config.yaml']!) as { server: string; 'node-label'?: string[]; 'node-taint'?: string[] })
    : null;
  return {
    generation: hash.digest('hex').slice(0, 32),
    files,
    commands,
    switch: nixosSwitch,
    summary: {
      container:
        isBuilder && input.builder
          ? { image: BUILDER.image, cpus: input.builder.cpus, memoryGb: input.builder.memoryGb }
          : null,
      agent: agent
        ? {
            serverAddr: agent.server,
            labels: Object.fromEntries((agent['node-label'] ?? []).map((l) => l.split('=', 2) as [string, string])),
            taints: agent['node-taint'] ?? [],
          }
        : null,
    },
  };
}
