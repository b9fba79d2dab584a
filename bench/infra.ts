// npm run bench:infra — three measurements of the infra layer, each a ratio from this one run,
// because this machine is shared and absolute times drift from run to run.
//
// 1. Parallelism: provision phase 4 from empty with every action taking 1 s; wall time over the
//    critical path (the longest chain of actions that must follow one another).
// 2. No-op API cost: reconcile the unchanged cloud; requests per type and writes.
// 3. Scale: plan time for 10, 100 and 1000 servers, and how it grows.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  desiredResources,
  loadClusterConfig,
  parseClusterConfig,
  RESOURCE_TYPES,
  type ClusterConfig,
} from '@personal-cloud/cluster';
import { startSandbox, type SandboxStats } from '@personal-cloud/sandbox';
import { HcloudClient } from '../projects/infra/src/hcloud/client';
import type { Action } from '../projects/infra/src/hcloud/resources/actions';
import { SANDBOX_TOKEN } from '../projects/infra/src/world/world';
import { loadInfraInputs } from '../projects/infra/src/infra-inputs';
import { provisionInfra } from '../projects/infra/src/provision';
import { changeDependencies } from '../projects/infra/src/reconcile/dependencies';
import { planChanges } from '../projects/infra/src/reconcile/plan-changes';
import { PlainProgress } from '../projects/infra/src/ui/progress';
import { observedTwin } from '../projects/infra/test/fixtures';

const ACTION_MS = 1000;
const secrets = { sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIG4rT3vTt99Ox5kndS4HmgTrKBT8SKzhK4rhGkEVGlCI bench', operatorAddress: '198.51.100.7' };
const quiet = new PlainProgress({ write: () => true });

async function workspaceConfig(phase: number): Promise<{ config: ClusterConfig; file: string; dir: string }> {
  const base = await loadClusterConfig(resolve('cluster.config.ts'));
  const dir = await mkdtemp(join(tmpdir(), 'pc-bench-'));
  const input = { ...structuredClone({ ...base, operator: undefined }), operator: { sshPublicKey: secrets.sshPublicKey, address: secrets.operatorAddress }, phase };
  const file = join(dir, 'cluster.config.ts');
  await writeFile(file, `export default ${JSON.stringify(input)};\n`);
  return { config: parseClusterConfig(input), file, dir };
}

/**
 * The longest chain of actions that must follow one another in phase 4, in action lengths:
 * a worker's volume is created (1), then the server with it (create_server, then start_server:
 * 2, as Hetzner starts a server after creating it), then it is attached to the network at its
 * chosen address (1). Everything else runs beside that chain.
 */
function criticalPathLengths(config: ClusterConfig): number {
  const plan = planChanges(desiredResources(config, secrets), [], { prune: false });
  const deps = changeDependencies(plan);
  const own = (key: string) => (key.startsWith('server/') ? 3 : key.startsWith('volume/') || key.startsWith('firewall/') ? 1 : 0);
  const memo = new Map<string, number>();
  const longest = (key: string): number => {
    if (!memo.has(key)) memo.set(key, own(key) + Math.max(0, ...(deps.get(key) ?? []).map(longest)));
    return memo.get(key)!;
  };
  return Math.max(...plan.changes.map((c) => longest(c.key)));
}

async function parallelism() {
  const { config, file, dir } = await workspaceConfig(4);
  const sandbox = await startSandbox({ port: 0, dir: null, actionMs: ACTION_MS, faults: '' });
  const env = { ...process.env, HCLOUD_TOKEN: '', CLOUD_CONFIG: file, CLOUD_SECRETS_DIR: join(dir, 'secrets'), CLOUD_AGE_IDENTITY: join(dir, 'identity.txt'), HCLOUD_ENDPOINT: sandbox.url };
  try {
    // The vault's first use (identity, secrets repo, sandbox vars) happens once per cloud, not per run.
    await loadInfraInputs(env);
    const started = performance.now();
    await provisionInfra({ env, progress: quiet });
    const wall = (performance.now() - started) / 1000;
    const lengths = criticalPathLengths(config);
    const serial = await serialSeconds(sandbox.url);
    console.log('1. Parallelism: phase 4 from empty, SANDBOX_ACTION_MS=1000');
    console.log(`   critical path     ${lengths} actions = ${lengths.toFixed(1)} s (volume → create+start server → attach network)`);
    console.log(`   wall time         ${wall.toFixed(2)} s`);
    console.log(`   ratio             ${(wall / lengths).toFixed(2)} × the critical path (goal ≤ 1.3)`);
    console.log(`   serial reference  ${serial.toFixed(1)} s of actions one after another = ${(serial / lengths).toFixed(1)} × the critical path`);
    return { env, sandbox, dir };
  } catch (error) {
    await sandbox.stop();
    throw error;
  }
}

async function noopCost(run: { env: NodeJS.ProcessEnv; sandbox: Awaited<ReturnType<typeof startSandbox>> }) {
  const before = requestCounts(run.sandbox.stats());
  await provisionInfra({ env: run.env, progress: quiet });
  const after = requestCounts(run.sandbox.stats());
  const delta = Object.fromEntries(Object.entries(after).map(([k, n]) => [k, n - (before[k] ?? 0)]).filter(([, n]) => (n as number) > 0)) as Record<string, number>;
  const lists = Object.entries(delta).filter(([k]) => k.startsWith('GET '));
  const writes = Object.entries(delta).filter(([k]) => !k.startsWith('GET '));
  console.log('2. No-op API cost: reconcile the unchanged phase-4 cloud');
  console.log(`   requests          ${lists.map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  console.log(`   list requests     ${lists.reduce((s, [, n]) => s + n, 0)} for ${RESOURCE_TYPES.length} resource types (goal: at most 1 per type)`);
  console.log(`   write requests    ${writes.reduce((s, [, n]) => s + n, 0)} (goal: 0)`);
}

function requestCounts(stats: SandboxStats): Record<string, number> {
  return { ...stats.requests };
}

/** What creating everything one action at a time would take: the sum of every action's duration, as the API reports them. */
async function serialSeconds(endpoint: string): Promise<number> {
  const client = new HcloudClient({ endpoint, token: SANDBOX_TOKEN });
  let total = 0;
  for (const resource of ['servers', 'volumes', 'firewalls', 'networks', 'primary_ips'])
    for (const action of await client.listAll<Action>(`/${resource}/actions`, 'actions'))
      if (action.finished) total += (Date.parse(action.finished) - Date.parse(action.started)) / 1000;
  return total;
}

function scaledConfig(base: ClusterConfig, servers: number): ClusterConfig {
  const networks = Math.ceil(servers / 100);
  // Loosely typed on purpose: the pools are rebuilt from scratch and validated by parseClusterConfig.
  const input = structuredClone({ ...base, operator: { sshPublicKey: secrets.sshPublicKey, address: secrets.operatorAddress } }) as Record<string, any>;
  input.networks = Array.from({ length: networks }, (_, i) => ({ name: `net-${i}`, ipRange: `10.${i}.0.0/16`, subnets: [{ name: `sub-${i}`, ipRange: `10.${i}.0.0/22`, zone: 'eu-central' }] }));
  const workers = servers - 3;
  input.pools = [
    { name: 'master', role: 'control-plane', serverType: 'cpx11', count: 3, subnet: 'sub-0', hostOffset: 10 },
    ...Array.from({ length: networks }, (_, i) => {
      const n = Math.min(i === 0 ? 97 : 100, workers - Math.max(0, i * 100 - 3));
      return { name: `worker-${i}`, role: 'worker', serverType: 'ccx23', count: n, subnet: `sub-${i}`, hostOffset: 20, volumes: [{ name: 'data', sizeGb: 500 }] };
    }).filter((p) => p.count > 0),
  ];
  input.phase = 4;
  input.apps = [];
  return parseClusterConfig(input);
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function scale() {
  const base = await loadClusterConfig(resolve('cluster.config.ts'));
  console.log('3. Scale: plan time (config → desired → plan against an empty and a matching cloud, with dependencies)');
  const times: Record<number, number> = {};
  for (const servers of [10, 100, 1000]) {
    const config = scaledConfig(base, servers);
    const observed = observedTwin(desiredResources(config, secrets));
    const samples: number[] = [];
    for (let i = 0; i < 7; i++) {
      const started = performance.now();
      const desired = desiredResources(config, secrets);
      changeDependencies(planChanges(desired, [], { prune: false }));
      planChanges(desired, observed, { prune: false });
      samples.push(performance.now() - started);
    }
    times[servers] = median(samples);
    const groups = new Set(desiredResources(config, secrets).filter((d) => d.type === 'placement_group').map((d) => d.name)).size;
    console.log(`   ${String(servers).padStart(4)} servers   ${times[servers]!.toFixed(1).padStart(7)} ms   (${config.networks.length} network(s), ${groups} placement groups)`);
  }
  console.log(`   growth            ×${(times[100]! / times[10]!).toFixed(1)} from 10 to 100, ×${(times[1000]! / times[100]!).toFixed(1)} from 100 to 1000 (linear is ×10)`);
  console.log(`   1000 servers      ${times[1000]! < 1000 ? 'under' : 'OVER'} 1 s (goal: under 1 s)`);
}

const run = await parallelism();
try {
  await noopCost(run);
} finally {
  await run.sandbox.stop();
  await rm(run.dir, { recursive: true, force: true });
}
await scale();
