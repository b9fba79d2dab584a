// npm run bench:hosts — the hosts layer against the sandbox's machine model with set step durations
// (install 3 units, rebuild 1, Ready at once; SANDBOX_MACHINE_MS): wall time against the schedule's
// lower bound (scheduleLowerBound: the waves one after another, each ⌈n / c⌉ steps deep) for phase 4
// from empty and for a rolling rebuild of all 8 nodes (goal ≤ 1.15 each), and the machine steps of a
// no-op run (goal 0). It measures, it does not judge: a missed goal is printed, and it exits 0.
//
// The timed runs are hosts:provision alone: infra:provision, the keys and hosts:check (which the Nx
// graph runs before it, and which leaves the render that provision finds unchanged) come first.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadClusterConfig } from '@personal-cloud/cluster';
import { provisionInfra } from '@personal-cloud/infra';
import { ensureKeys, openVault, vaultOptionsFromEnv } from '@personal-cloud/vault';
import shipped from '../cluster.config';
import { keySpecs } from '../projects/hosts/src/key-specs';
import { scheduleLowerBound, type StepDurations } from '../projects/hosts/src/plan/schedule-bound';
import { planHostsRun, provisionHosts } from '../projects/hosts/src/provision/provision-hosts';
import { PlainProgress } from '@personal-cloud/layer-kit';
import { median } from '../tools/test-support/growth';
import { startBenchSandbox } from './bench-sandbox';
import { spread, verdict } from './figures';

const UNIT_MS = 1000;
const DURATIONS: StepDurations = { install: 3 * UNIT_MS, rebuild: 1 * UNIT_MS, ready: 0, probe: 0 };
const ROLLING_RUNS = 3;
const GOAL = 1.15;
const quiet = () => new PlainProgress({ write: () => true });

// The shipped config, at phase 4 (its vars resolve from the bench's sandbox vault).
const file = resolve('cluster.config.ts');
if (shipped.phase !== 4)
  throw new Error(`bench:hosts measures phase 4; cluster.config.ts is at phase ${shipped.phase}`);
const machineMs = Object.entries(DURATIONS)
  .map(([step, ms]) => `${step}=${ms}`)
  .join(',');
const dir = await mkdtemp(join(tmpdir(), 'pc-bench-hosts-'));
const { sandbox, env } = await startBenchSandbox(dir, file, { worldDir: null, actionMs: 5, machineMs });
try {
  await provisionInfra({ env, progress: quiet() });
  const vault = await openVault(vaultOptionsFromEnv(env, { sandbox: true }));
  await ensureKeys(vault, keySpecs(await loadClusterConfig(file)));
  const renderDir = join(dir, 'render');
  const run = () => provisionHosts({ env, renderDir, progress: quiet() });

  // What hosts:check leaves: the render provision deploys, unchanged.
  const { document } = await planHostsRun({ env });
  await mkdir(renderDir, { recursive: true });
  await writeFile(join(renderDir, 'hosts.json'), `${JSON.stringify(document, null, 2)}\n`);

  const timed = async () => {
    const started = performance.now();
    const result = await run();
    return { wall: performance.now() - started, bound: scheduleLowerBound(result.plan, DURATIONS), result };
  };
  const fromEmpty = await timed();
  const ratio = fromEmpty.wall / fromEmpty.bound;
  console.log(
    `phase 4 from empty: ${fromEmpty.result.deployed.length} nodes in ${(fromEmpty.wall / 1000).toFixed(2)} s; lower bound ${fromEmpty.bound / 1000} s (${fromEmpty.result.plan.waves.map((w) => `${w.nodes.length}/${w.concurrency}`).join(' + ')} nodes/at a time); wall ÷ bound ${ratio.toFixed(3)}; goal ≤ ${GOAL}: ${verdict(ratio <= GOAL)}`,
  );

  const ratios: number[] = [];
  let bound = 0;
  for (let i = 0; i < ROLLING_RUNS; i++) {
    // Every node looks changed: its recorded generation is not the one it would deploy.
    await vault.withLock('bench: every node changed', async (session) => {
      const state = await session.read('state');
      const hosts = state.layers.hosts as { deployed: Record<string, { generation: string }> };
      for (const node of Object.values(hosts.deployed)) node.generation = `older-${i}`;
      await session.write('state', state, 'bench: every node looks changed');
    });
    const rolled = await timed();
    bound = rolled.bound;
    ratios.push(rolled.wall / rolled.bound);
  }
  console.log(
    `rolling rebuild of all 8 nodes: lower bound ${bound / 1000} s; wall ÷ bound ${spread(ratios, 3)} over ${ROLLING_RUNS} runs; goal ≤ ${GOAL} (median): ${verdict(median(ratios) <= GOAL)}`,
  );

  const before = sandbox.machines.journal.all().length;
  const started = performance.now();
  await run();
  const steps = sandbox.machines.journal.all().length - before;
  console.log(
    `no-op provision: ${steps} machine steps in ${((performance.now() - started) / 1000).toFixed(2)} s; goal 0: ${verdict(steps === 0)}`,
  );
} finally {
  await sandbox.stop();
  await rm(dir, { recursive: true, force: true });
}
