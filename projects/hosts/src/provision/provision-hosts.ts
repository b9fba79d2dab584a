// hosts' provision: the plan's waves, node by node through the machine executor, with hosts'
// state written as each node settles, so a failure stops at that node and a rerun resumes.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { CloudError, hetznerName, type ConfigSource } from '@personal-cloud/cluster';
import { openWorld } from '@personal-cloud/infra';
import {
  createProgress,
  KUBECONFIG_TOKEN,
  OPERATOR_KEY_TOKEN,
  runDag,
  RunInterrupted,
  StateRecorder,
  type Progress,
} from '@personal-cloud/layer-kit';
import type { VaultSession } from '@personal-cloud/vault';
import { chooseExecutor } from '../executor/choose-executor';
import { MachineStepError, type MachineExecutor, type MachineTarget } from '../executor/machine-executor';
import { loadHostsInputs } from '../hosts-inputs';
import { nodeGeneration, nixSourcesHash } from '../plan/node-generation';
import { DEFAULT_MAX_PARALLEL, planHosts, plannedSteps, type HostsPlan } from '../plan/plan-hosts';
import { EXPECTED_HETZNER_DURATIONS, scheduleLowerBound } from '../plan/schedule-bound';
import { serverMinimumNotices } from '../plan/server-minimum';
import { checkTailscaleKey } from '../plan/tailscale-key';
import type { HostsDocument } from '../render/hosts-document';
import { missingVarsSentence } from '../render/node-vars';
import { renderHosts } from '../render/render-hosts';
import { checkRenderedHosts, NIX_DIR } from '../check/check-rendered-hosts';
import { RENDER_DIR } from '../targets/render';
import { HOSTS_LAYER, readHostsState, type HostsState } from '../state/hosts-state';
import { deploySources } from './deploy-source';
import { decommissionWorker } from './decommission';
import { deployStep, recordedTarget, machineTarget } from './machine-targets';
import { waitReady, type RunClock } from './wait-ready';

export interface HostsRun {
  env?: NodeJS.ProcessEnv;
  /** Where render writes hosts.json (default dist/hosts/render); provision checks what it deploys there. */
  renderDir?: string;
  maxParallel?: number;
  stop?: AbortSignal;
  /** The run's clock (tests share the sandbox's ControllableClock). */
  clock?: RunClock;
  progress?: Progress;
  /** The config's slice (plan) or the config file (provision, the default): see hosts-inputs.ts. */
  from?: ConfigSource;
}

export interface PlannedHosts {
  document: HostsDocument;
  plan: HostsPlan;
}

/** Render in memory and plan against hosts' state: what `plan` shows and `provision` runs. */
export async function planHostsRun(
  run: HostsRun = {},
): Promise<PlannedHosts & { inputs: Awaited<ReturnType<typeof loadHostsInputs>> }> {
  const inputs = await loadHostsInputs(run.env ?? process.env, run.from);
  const document = renderHosts(inputs);
  const nix = await nixSourcesHash(NIX_DIR);
  const generations = Object.fromEntries(
    Object.values(document.nodes).map((node) => [node.name, nodeGeneration(document, node, nix)]),
  );
  const plan = planHosts({
    document,
    generations,
    state: inputs.hostsState,
    maxParallel: run.maxParallel ?? DEFAULT_MAX_PARALLEL,
  });
  // Before any step: a Tailscale key that will not outlive the run stops it here, naming its expiry.
  const tailscale = checkTailscaleKey({
    enabled: inputs.config.tailscale.enabled,
    tokens: await inputs.vault.read('tokens'),
    now: (run.clock?.now ?? Date.now)(),
    runMs: scheduleLowerBound(plan, EXPECTED_HETZNER_DURATIONS),
    installs: plan.nodes.filter((n) => n.action === 'install').length,
  });
  if (tailscale.refusal) throw new CloudError(`hosts: ${tailscale.refusal}; nothing was changed.`);
  plan.notices.push(...serverMinimumNotices(inputs.nodes), ...(tailscale.notice ? [tailscale.notice] : []));
  return { inputs, document, plan };
}

export interface ProvisionResult {
  plan: HostsPlan;
  /** Deploys that ran to Ready in this run. */
  deployed: string[];
}

export async function provisionHosts(run: HostsRun = {}): Promise<ProvisionResult> {
  const { inputs, document, plan } = await planHostsRun(run);
  if (document.pending.length)
    throw new CloudError(
      `hosts: ${document.pending.map((p) => p.node).join(', ')} cannot be deployed yet; ${missingVarsSentence(document.pending.flatMap((p) => p.missingVars))}`,
    );
  if (plan.refused) throw new CloudError(`hosts: refused: ${plan.refused}; nothing was changed.`);
  if (!plannedSteps(plan)) return { plan, deployed: [] };
  await checkWhatDeploys(
    document,
    run.renderDir ?? RENDER_DIR,
    await inputs.vault.read('tokens'),
    run.progress ?? createProgress(),
  );

  const env = run.env ?? process.env;
  const clock = run.clock ?? { now: Date.now, sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)) };
  const progress = run.progress ?? createProgress();
  const tokens = await inputs.vault.read('tokens');
  const targets = new Map(Object.values(document.nodes).map((node) => [node.name, machineTarget(node, tokens)]));
  const leaving = plan.nodes.filter((n) => n.action === 'decommission').map((n) => n.node);
  for (const name of leaving)
    targets.set(name, recordedTarget(name, inputs.vars, tokens, inputs.hostsState.deployed[name]?.serverId));
  const servers = plan.k3sServersAfter.map((name) => targets.get(name)!);
  const world = await openWorld(env);
  const sources = deploySources(document, tokens, run.renderDir ?? RENDER_DIR);
  const executor = await chooseExecutor({
    endpoint: world.endpoint,
    clock,
    ssh: () => ({
      operatorPrivateKey: requireToken(tokens, OPERATOR_KEY_TOKEN, 'the operator SSH private key'),
      hostNames: Object.fromEntries([
        ...Object.values(document.nodes).map((n) => [n.name, n.hostName]),
        ...leaving.map((name) => [name, hetznerName(document.cluster, name)]),
      ]),
      deploySource: (target) => sources.source(target),
    }),
  });
  const deployed: string[] = [];
  try {
    await executor.preflight();
    await inputs.vault.withLock('hosts: provision', async (session) => {
      // One writer for hosts' state: parallel deploys queue their records, written in order.
      const recorder = new StateRecorder(session);
      const record = (verb: string, change: (state: HostsState) => HostsState) =>
        recorder.record({ layer: HOSTS_LAYER, verb, kind: 'node' }, (current) => ({
          ...current,
          state: {
            ...current.state,
            layers: { ...current.state.layers, [HOSTS_LAYER]: change(readHostsState(current.state)) },
          },
        }));
      try {
        // A new cluster's kubeconfig is kept as soon as its first server is up, so a roll that stops
        // later still leaves the later layers one; an existing one is refreshed once the roll is done,
        // which keeps the vault's write out of the roll's way.
        let kubeconfigFetched = false;
        const kubeconfigEarly = !tokens[KUBECONFIG_TOKEN] || document.k3s.bootstrapNode !== null;
        const withServer = (nodes: readonly string[]) => nodes.some((n) => document.nodes[n]?.k3s.role === 'server');
        for (const wave of plan.waves) {
          const outcomes = await runDag(
            wave.nodes.map((name) => ({
              key: name,
              after: [],
              run: async () => {
                if (run.stop?.aborted)
                  throw new RunInterrupted(`interrupted (${String(run.stop.reason)}) before ${name}'s deploy`);
                const planned = plan.nodes.find((n) => n.node === name)!;
                const target = targets.get(name)!;
                if (planned.action === 'decommission') {
                  progress.begin(name, 'decommissioning (k3s agent)');
                  await decommissionWorker(executor, servers, target, (text) => progress.note(name, text));
                  record('decommissioned', (s) => decommissioned(s, name, clock.now()));
                  return progress.end(
                    name,
                    true,
                    'drained and deleted: `infra:provision --prune` may delete its server',
                  );
                }
                const node = document.nodes[name]!;
                progress.begin(
                  name,
                  `${{ install: 'installing', rebuild: 'rebuilding', migrate: 'moving etcd off it', skip: '', decommission: '' }[planned.action]} (k3s ${node.k3s.role})`,
                );
                const step = deployStep(node, planned.generation);
                if (planned.action === 'migrate') {
                  const via = targets.get(plan.k3sServersAfter.find((server) => server !== name)!)!;
                  await moveEtcdOff(executor, target, via, (text) => progress.note(name, text));
                  record('removed from etcd', (s) => ({
                    ...s,
                    k3sServers: s.k3sServers.filter((server) => server !== name),
                  }));
                  await executor.clearServerData(target);
                }
                if (planned.action === 'install') await executor.install(target, step);
                else await executor.rebuild(target, step);
                if (node.k3s.role === 'server')
                  record('joined to etcd', (s) => ({
                    ...s,
                    k3sServers: s.k3sServers.includes(name) ? s.k3sServers : [...s.k3sServers, name],
                    serverIds: { ...s.serverIds, [name]: node.hetznerId },
                  }));
                progress.note(name, 'waiting for Ready');
                await waitReady(executor, target, node.k3s.role, clock, run.stop);
                record('deployed', (s) => ({
                  ...s,
                  decommissioned: Object.fromEntries(Object.entries(s.decommissioned).filter(([n]) => n !== name)),
                  deployed: {
                    ...s.deployed,
                    [name]: {
                      generation: planned.generation,
                      role: node.k3s.role,
                      at: new Date(clock.now()).toISOString(),
                      serverId: node.hetznerId,
                    },
                  },
                }));
                deployed.push(name);
                progress.end(name, true, `${planned.action === 'install' ? 'installed' : 'rebuilt'}, Ready`);
              },
            })),
            wave.concurrency,
            () => true,
          );
          const failed = outcomes.find((o) => o.status === 'failed');
          if (failed && failed.status === 'failed') {
            progress.end(failed.key, false, (failed.error as Error).message);
            if (failed.error instanceof RunInterrupted) throw failed.error;
            const done = deployed.length
              ? ` ${deployed.join(', ')} ${deployed.length === 1 ? 'was' : 'were'} deployed and recorded; a rerun resumes from ${failed.key}.`
              : ' A rerun starts there again.';
            throw new CloudError(
              `hosts: the roll stopped at ${failed.key}: ${(failed.error as Error).message}.${done}`,
            );
          }
          if (kubeconfigEarly && !kubeconfigFetched && withServer(wave.nodes)) {
            await recorder.flush();
            await keepKubeconfig(session, executor, document, targets, progress);
            kubeconfigFetched = true;
          }
        }
        if (!kubeconfigFetched && withServer(plan.waves.flatMap((w) => w.nodes))) {
          await recorder.flush();
          await keepKubeconfig(session, executor, document, targets, progress);
        }
      } finally {
        await recorder.flush();
      }
    });
  } finally {
    progress.close();
    await (executor as { close?: () => Promise<void> }).close?.();
    await sources.close();
    await world.close();
  }
  return { plan, deployed };
}

/** hosts' state once `node` is out of the cluster: no longer deployed, decommissioned on the server it ran on. */
export function decommissioned(state: HostsState, node: string, now: number): HostsState {
  const { [node]: gone, ...deployed } = state.deployed;
  return {
    ...state,
    deployed,
    decommissioned: { ...state.decommissioned, [node]: { serverId: gone?.serverId, at: new Date(now).toISOString() } },
  };
}

/**
 * The first steps of moving a k3s server to agent, with quorum kept at each: an etcd snapshot,
 * the node drained, its member removed from another server (etcd refuses a removal that would
 * break quorum), and the member list checked. Clearing its data and redeploying it as an agent
 * follow; a removed member must never rejoin with its old data.
 */
async function moveEtcdOff(
  executor: MachineExecutor,
  target: MachineTarget,
  via: MachineTarget,
  note: (text: string) => void,
): Promise<void> {
  // A rerun after a stop past the removal finds the member gone and goes on to clear and redeploy.
  if (!(await executor.etcdMembers(via)).some((m) => m.name === target.node))
    return note('no longer an etcd member; clearing its server data, redeploying as agent');
  note('etcd snapshot');
  await executor.etcdSnapshot(target);
  note(`draining, from ${via.node}`);
  await executor.drain(via, target.node);
  note(`removing its etcd member, from ${via.node}`);
  await executor.etcdMemberRemove(via, target.node);
  const members = await executor.etcdMembers(via);
  if (members.some((m) => m.name === target.node))
    throw new MachineStepError(
      target.node,
      'etcd-members',
      'failed',
      `${target.node} is still in etcd's member list on ${via.node} after its removal`,
    );
  note('clearing its server data, redeploying as agent');
}

/**
 * hosts:check checked the hosts.json render wrote, which in a run from empty was made before
 * infra created the servers. What provision deploys is rendered now, with the vars infra
 * recorded: when it differs, it is written in render's place and checked before any machine step.
 */
async function checkWhatDeploys(
  document: HostsDocument,
  renderDir: string,
  tokens: Record<string, string>,
  progress: Progress,
): Promise<void> {
  const file = join(renderDir, 'hosts.json');
  const text = `${JSON.stringify(document, null, 2)}\n`;
  const checked = await readFile(file, 'utf8').catch(() => null);
  if (checked === text) return;
  await mkdir(renderDir, { recursive: true });
  await writeFile(file, text);
  progress.log(
    'hosts: the nodes to deploy differ from what hosts:check saw (infra created servers since); checking them now.',
  );
  await checkRenderedHosts({ document, hostsFile: resolve(file), tokens, log: (line) => progress.log(line) });
}

/** The kubeconfig from the first control-plane server that answers, addressed by its Tailscale name. */
async function keepKubeconfig(
  session: VaultSession,
  executor: MachineExecutor,
  document: HostsDocument,
  targets: Map<string, ReturnType<typeof machineTarget>>,
  progress: Progress,
): Promise<void> {
  const servers = Object.values(document.nodes).filter((n) => n.k3s.role === 'server');
  const problems: string[] = [];
  for (const server of servers) {
    try {
      const kubeconfig = await executor.fetchKubeconfig(targets.get(server.name)!, server.tailscale.hostname);
      const tokens = await session.read('tokens');
      if (tokens[KUBECONFIG_TOKEN] !== kubeconfig)
        await session.write(
          'tokens',
          { ...tokens, [KUBECONFIG_TOKEN]: kubeconfig },
          `hosts: ${KUBECONFIG_TOKEN} recorded`,
        );
      progress.log(
        `hosts: kubeconfig from ${server.name} kept in the vault's tokens (${KUBECONFIG_TOKEN}), server https://${server.tailscale.hostname}:6443.`,
      );
      return;
    } catch (error) {
      problems.push((error as Error).message);
    }
  }
  throw new CloudError(`hosts: no control-plane server gave its kubeconfig: ${problems.join('; ')}`);
}

function requireToken(tokens: Record<string, string>, name: string, what: string): string {
  const value = tokens[name];
  if (!value)
    throw new CloudError(`the vault's tokens lack ${name} (${what}); add it with \`npm run state -- edit tokens\`.`);
  return value;
}
