// npm run bench:graph — what the task graph costs, through real `nx` on a fresh copy of the
// workspace in the sandbox (`npm run bench:graph -- <checkout>` measures another checkout, e.g.
// main before a change). Ratios from this one run, because this machine is shared and absolute
// times drift from run to run.
//
// 1. No-op provision against warm render: `run-many -t render` with every task a cache hit, and
//    `run-many -t provision` on a converged cloud, in alternating pairs; medians, spread, ratio.
//    The goal is ≤ 1.5×: a no-op provision should cost little more than asking Nx for the cache.
// 2. Target start: one target started each way Nx could start it, median wall time.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { copyWorkspace, NX } from '../tools/nx-plugin/test/support/workspace-copy';

const PAIRS = 7;
const GOAL = 1.5;

const from = resolve(process.argv[2] ?? '.');
const work = copyWorkspace('pc-bench-graph-', from);
const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: join(work, '.home'),
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  CI: 'true',
  SANDBOX_ACTION_MS: '20',
};

/** Runs a command in the copy; fails the bench on a non-zero exit. Returns its wall time in seconds. */
function timed(command: string, args: string[]): number {
  const started = performance.now();
  const result = spawnSync(command, args, { cwd: work, env, encoding: 'utf8' });
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return seconds;
}
const nx = (...args: string[]) => timed(NX, args);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const spread = (samples: number[]) => `${Math.min(...samples).toFixed(2)}–${Math.max(...samples).toFixed(2)}`;
const seconds = (samples: number[]) => `${median(samples).toFixed(2)} s (spread ${spread(samples)} s)`;

function noopAgainstWarmRender(): void {
  // Build the cloud, converge it, and fill the cache: what follows is the steady state.
  nx('run-many', '-t', 'provision');
  nx('run-many', '-t', 'provision');
  nx('run-many', '-t', 'render');
  const render: number[] = [];
  const provision: number[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    render.push(nx('run-many', '-t', 'render'));
    provision.push(nx('run-many', '-t', 'provision'));
  }
  const ratios = provision.map((p, i) => p / render[i]!);
  const ratio = median(provision) / median(render);
  console.log(`1. No-op provision against warm render (${PAIRS} pairs, wall)`);
  console.log(`   run-many -t render     ${seconds(render)}, every task from the cache`);
  console.log(`   run-many -t provision  ${seconds(provision)}, nothing to change`);
  console.log(`   ratio                  ${ratio.toFixed(2)} × (pairs ${spread(ratios)}); goal ≤ ${GOAL}: ${ratio <= GOAL ? 'met' : 'MISSED'}`);
}

function targetStart(): void {
  const runs = 5;
  const node = process.execPath;
  const tsx = join(work, 'node_modules/.bin/tsx');
  const ways: [string, string, string[]][] = [
    ['tsx run-target.ts (before)', tsx, ['tools/nx-plugin/src/run-target.ts']],
    ['node --import tsx run-target.ts', node, ['--import', 'tsx', 'tools/nx-plugin/src/run-target.ts']],
    ['node run-target.mjs (now)', node, ['tools/nx-plugin/src/run-target.mjs']],
  ];
  console.log(`2. Target start, one process as Nx starts it (median of ${runs}, wall)`);
  console.log('   way                               infra:render   hosts:provision (not built yet)');
  for (const [name, command, args] of ways) {
    const sample = (target: string[]) => median(Array.from({ length: runs }, () => timed(command, [...args, ...target])));
    // The checkout measured may predate run-target.mjs; then that way has nothing to measure.
    if (existsSync(join(work, args.at(-1)!))) {
      console.log(`   ${name.padEnd(34)}${sample(['projects/infra', 'render']).toFixed(2).padStart(7)} s ${sample(['projects/hosts', 'provision']).toFixed(2).padStart(12)} s`);
    } else console.log(`   ${name.padEnd(34)}   (not in this checkout)`);
  }
}

console.log(`bench:graph on a copy of ${from}`);
noopAgainstWarmRender();
targetStart();
