// npm run bench:graph — what the task graph costs, through real `nx` on a fresh copy of the
// workspace in the sandbox, in one run (`npm run bench:graph -- <checkout>` measures another
// checkout, e.g. main before a change). Ratios come from this one run, side by side, because the
// machine is shared and absolute times drift from run to run.
//
// 1. Cold `run-many -t provision` on the fresh copy: empty sandbox, vault, Nx cache and target
//    bundles. The share of its wall time spent outside the layers' own work (each target's run(),
//    as the runner records it under CLOUD_TARGET_TIMES): starting targets, Nx's graph and hashing.
// 2. Warm `run-many -t render` (every task a cache hit) against a no-op `run-many -t provision`,
//    in alternating pairs: medians, spread, the ratio (goal ≤ 1.5×), and where the no-op's time goes.
// 3. `nx affected -t provision --base=HEAD~1` after one app's replicas changed: which tasks ran,
//    which came from the cache, and the wall time.
// 4. Cold `run-many -t provision` again on an emptied sandbox, with the target bundles built:
//    the same share, for a start that is not also the workspace's first.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { median } from '../tools/test-support/growth';
import { copyWorkspace, NX } from '../tools/nx-plugin/test/support/workspace-copy';
import { TARGET_TIMES_ENV, type TargetTimes } from '../tools/nx-plugin/src/target-times';
import { spread, verdict } from './figures';

const PAIRS = 5;
const GOAL_RATIO = 1.5;
const GOAL_OUTSIDE = 0.2;

const from = resolve(process.argv[2] ?? '.');
const work = copyWorkspace('pc-bench-graph-', from);
// Outside the copy, which becomes a git repository for `affected`.
const timesFile = join(mkdtempSync(join(tmpdir(), 'pc-bench-times-')), 'target-times.jsonl');
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: join(work, '.home'),
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  CI: 'true',
  SANDBOX_ACTION_MS: '20',
  [TARGET_TIMES_ENV]: timesFile,
};

/**
 * CPU seconds of this process's finished children, grandchildren included (each waited for by its
 * parent): Linux's cutime + cstime. Less at the mercy of other load on a shared machine than wall time.
 */
function childrenCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8')
    .replace(/^.*\) /, '')
    .split(' ');
  // After "pid (comm) ", cutime and cstime are fields 14 and 15 (0-based), in clock ticks of 1/100 s.
  return (Number(fields[13]) + Number(fields[14])) / 100;
}

interface Run {
  wall: number;
  cpu: number;
  /** What each target the run started recorded (empty for a checkout whose runner records nothing). */
  times: TargetTimes[];
  /** Each task Nx listed, and whether it came from the cache. */
  tasks: { task: string; cached: boolean }[];
}

/** Runs nx in the copy; fails the bench on a non-zero exit. */
function nx(...args: string[]): Run {
  writeFileSync(timesFile, '');
  const cpuBefore = childrenCpuSeconds();
  const started = performance.now();
  const result = spawnSync(NX, args, { cwd: work, env, encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  const cpu = childrenCpuSeconds() - cpuBefore;
  const out = `${result.stdout}${result.stderr}`.replace(/\x1b\[[0-9;]*m/g, '');
  if (result.status !== 0) throw new Error(`nx ${args.join(' ')} exited ${result.status}:\n${out}`);
  const times = readFileSync(timesFile, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as TargetTimes);
  const tasks = [...out.matchAll(/^> nx run (\S+)(.*)$/gm)].map(([, task, rest]) => ({
    task: task!,
    cached: /\[(local cache|existing outputs match the cache)/.test(rest!),
  }));
  return { wall, cpu, times, tasks };
}

/** The seconds covered by at least one of the intervals (ms since the epoch). */
function covered(intervals: [number, number][]): number {
  let total = 0;
  let reach = -Infinity;
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    if (end <= reach) continue;
    total += end - Math.max(start, reach);
    reach = end;
  }
  return total / 1000;
}

const s = (seconds: number) => `${seconds.toFixed(2)} s`;
const pct = (share: number) => `${(share * 100).toFixed(0)} %`;

/** A provision run's wall time split: the layers' own work, starting targets, and Nx around them. */
function outsideTheLayers(label: string, run: Run): void {
  if (!run.times.length) {
    console.log(`   ${label}: ${s(run.wall)}; this checkout's runner records no target times`);
    return;
  }
  const work = covered(run.times.map((t) => [t.ran, t.ended]));
  const targets = covered(run.times.map((t) => [t.started, t.ended]));
  const outside = 1 - work / run.wall;
  const starting = run.times.reduce((sum, t) => sum + (t.ran - t.started) / 1000, 0);
  console.log(`   ${label}: ${s(run.wall)} wall, ${s(run.cpu)} CPU, ${run.times.length} targets started`);
  console.log(
    `      outside the layers' own work: ${pct(outside)} (${s(run.wall - work)}; goal < ${pct(GOAL_OUTSIDE)}: ${verdict(outside < GOAL_OUTSIDE)})`,
  );
  console.log(
    `      of it: Nx with no target running ${s(run.wall - targets)}; targets starting ${s(starting)} in all (to their module loaded and run() called)`,
  );
}

/** Where a no-op provision's time goes, per target it started: median ms to start, and in run(). */
function perTarget(runs: Run[]): void {
  const tasks = [...new Set(runs.flatMap((run) => run.times.map((t) => t.task)))];
  if (!tasks.length) return;
  console.log('   where the no-op provision goes, per target (median ms): start → module loaded → run() → end');
  for (const task of tasks) {
    const mine = runs.flatMap((run) => run.times.filter((t) => t.task === task));
    const ms = (f: (t: TargetTimes) => number) => median(mine.map(f)).toFixed(0).padStart(6);
    console.log(
      `      ${task.padEnd(22)} start ${ms((t) => t.loaded - t.started)}   to run ${ms((t) => t.ran - t.loaded)}   run ${ms((t) => t.ended - t.ran)}`,
    );
  }
  const nxAlone = runs.map((run) => run.wall - covered(run.times.map((t) => [t.started, t.ended])));
  console.log(`      Nx with no target running: ${spread(nxAlone)} s`);
}

function noopAgainstWarmRender(): void {
  nx('run-many', '-t', 'provision');
  nx('run-many', '-t', 'render');
  const render: Run[] = [];
  const provision: Run[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    render.push(nx('run-many', '-t', 'render'));
    provision.push(nx('run-many', '-t', 'provision'));
  }
  const hits = render.at(-1)!.tasks;
  console.log(`2. No-op provision against warm render (${PAIRS} pairs side by side; median (min–max))`);
  console.log(
    `   run-many -t render      wall ${spread(render.map((r) => r.wall))} s, CPU ${spread(render.map((r) => r.cpu))} s; ${hits.filter((t) => t.cached).length} of ${hits.length} tasks from the cache`,
  );
  console.log(
    `   run-many -t provision   wall ${spread(provision.map((r) => r.wall))} s, CPU ${spread(provision.map((r) => r.cpu))} s; nothing to change`,
  );
  for (const kind of ['wall', 'cpu'] as const) {
    const ratio = median(provision.map((r) => r[kind])) / median(render.map((r) => r[kind]));
    const pairs = provision.map((p, i) => p[kind] / render[i]![kind]);
    console.log(
      `   ratio (${kind.padEnd(4)})            ${ratio.toFixed(2)}× (pairs ${spread(pairs)}); goal ≤ ${GOAL_RATIO}: ${verdict(ratio <= GOAL_RATIO)}`,
    );
  }
  perTarget(provision);
}

function affectedAfterReplicasEdit(): void {
  const git = (...args: string[]) =>
    execFileSync('git', ['-c', 'user.name=bench', '-c', 'user.email=bench@localhost', ...args], { cwd: work });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-qm', 'the copy as it is');
  const file = join(work, 'cluster.config.ts');
  const config = readFileSync(file, 'utf8');
  const app = /(\{\s*name: '([\w-]+)'[^{}]*?replicas: )(\d+)/.exec(config);
  if (!app) throw new Error('cluster.config.ts has no app with replicas to edit');
  const [, before, name, replicas] = app;
  writeFileSync(file, config.replace(app[0], `${before}${Number(replicas) + 1}`));
  git('commit', '-qam', `${name}: one replica more`);
  const run = nx('affected', '-t', 'provision', '--base=HEAD~1');
  const list = (cached: boolean) =>
    run.tasks
      .filter((t) => t.cached === cached)
      .map((t) => t.task)
      .join(', ') || 'none';
  console.log(
    `3. nx affected -t provision --base=HEAD~1 after ${name}'s replicas ${replicas} → ${Number(replicas) + 1}`,
  );
  console.log(`   wall ${s(run.wall)}, CPU ${s(run.cpu)}`);
  console.log(`   ran:             ${list(false)}`);
  console.log(`   from the cache:  ${list(true)}`);
}

console.log(
  `bench:graph on a copy of ${from} (${new Date().toISOString().slice(0, 10)}, ${cpus().length} cores, load ${loadavg()[0]!.toFixed(1)})`,
);
console.log('1. Cold run-many -t provision');
outsideTheLayers('fresh copy (sandbox, vault, Nx cache and target bundles empty)', nx('run-many', '-t', 'provision'));
noopAgainstWarmRender();
affectedAfterReplicasEdit();
for (const dir of ['.sandbox', '.secrets', 'dist', '.nx']) rmSync(join(work, dir), { recursive: true, force: true });
console.log('4. Cold run-many -t provision again');
outsideTheLayers('emptied sandbox, vault and Nx cache; target bundles built', nx('run-many', '-t', 'provision'));
rmSync(work, { recursive: true, force: true });
rmSync(resolve(timesFile, '..'), { recursive: true, force: true });
