// npm run bench:graph — what the task graph costs, through real `nx` on a fresh copy of the
// workspace in the sandbox (`npm run bench:graph -- <checkout>` measures another checkout, e.g.
// main before a change). Ratios from this one run, because this machine is shared and absolute
// times drift from run to run.
//
// 1. No-op provision against warm render: `run-many -t render` with every task a cache hit, and
//    `run-many -t provision` on a converged cloud, in alternating pairs; medians, spread, ratio.
//    The goal is ≤ 1.5×: a no-op provision should cost little more than asking Nx for the cache.
// 2. Target start: loading the heaviest target module each way a target could be started, and a
//    layer not built yet.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
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

/** Runs a command in the copy; fails the bench on a non-zero exit. Returns its wall and CPU seconds. */
function measured(command: string, args: string[]): { wall: number; cpu: number } {
  const started = performance.now();
  const cpuBefore = childrenCpuSeconds();
  const result = spawnSync(command, args, { cwd: work, env, encoding: 'utf8' });
  const wall = (performance.now() - started) / 1000;
  if (result.status !== 0)
    throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stdout}${result.stderr}`);
  return { wall, cpu: childrenCpuSeconds() - cpuBefore };
}
const timed = (command: string, args: string[]) => measured(command, args).wall;
const nx = (...args: string[]) => measured(NX, args);

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
  const render: { wall: number; cpu: number }[] = [];
  const provision: { wall: number; cpu: number }[] = [];
  for (let pair = 0; pair < PAIRS; pair++) {
    render.push(nx('run-many', '-t', 'render'));
    provision.push(nx('run-many', '-t', 'provision'));
  }
  console.log(`1. No-op provision against warm render (${PAIRS} pairs)`);
  for (const kind of ['wall', 'cpu'] as const) {
    const r = render.map((m) => m[kind]);
    const p = provision.map((m) => m[kind]);
    const ratio = median(p) / median(r);
    console.log(`   ${kind.padEnd(4)} run-many -t render     ${seconds(r)}, every task from the cache`);
    console.log(`   ${kind.padEnd(4)} run-many -t provision  ${seconds(p)}, nothing to change`);
    console.log(
      `   ${kind.padEnd(4)} ratio                  ${ratio.toFixed(2)} × (pairs ${spread(p.map((x, i) => x / r[i]!))}); goal ≤ ${GOAL}: ${ratio <= GOAL ? 'met' : 'MISSED'}`,
    );
  }
}

/**
 * What starting a target costs before it does anything, each way it could be started: the tsx
 * command (before: it starts a second node process and sends every import through its hooks),
 * tsx registered in the target's own process (now, and only for a layer that has the target),
 * and an esbuild bundle run by plain node (measured, not adopted: see the README's "Starting
 * targets"). The load is of infra:provision's module, the heaviest target; a layer not built yet
 * now loads nothing at all.
 */
async function targetStart(): Promise<void> {
  const runs = 5;
  const node = process.execPath;
  const module = 'projects/infra/src/targets/provision.ts';
  writeFileSync(
    join(work, 'bench-load.mjs'),
    'await import(new URL(process.argv[2], `file://${process.cwd()}/`).href);\n',
  );
  writeFileSync(
    join(work, 'bench-load-registered.mjs'),
    "(await import('tsx/esm/api')).register();\nawait import('./bench-load.mjs');\n",
  );
  writeFileSync(join(work, 'bench-empty.ts'), 'export {};\n');
  // esbuild comes with tsx; the bench uses it only to measure the bundle option.
  const { build } = await import('esbuild');
  await build({
    entryPoints: { provision: module },
    outdir: join(work, 'dist/bench-bundle'),
    outExtension: { '.js': '.mjs' },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    packages: 'external',
    tsconfig: join(work, 'tsconfig.base.json'),
    logLevel: 'error',
  });
  const tsx = join(work, 'node_modules/.bin/tsx');
  const ways: [string, string, string[], string | undefined][] = [
    ['tsx command (before)', tsx, ['bench-load.mjs', module], 'bench-empty.ts'],
    ['tsx registered in-process (now)', node, ['bench-load-registered.mjs', module], undefined],
    ['esbuild bundle, plain node', node, ['bench-load.mjs', 'dist/bench-bundle/provision.mjs'], undefined],
  ];
  const sample = (command: string, args: string[]) => median(Array.from({ length: runs }, () => timed(command, args)));
  console.log(`2. Starting a target (median of ${runs}, wall)`);
  console.log(`   way                               load infra:provision   a layer not built yet`);
  for (const [name, command, args, notBuilt] of ways) {
    const idle = notBuilt ? `${sample(command, ['bench-load.mjs', notBuilt]).toFixed(2)} s` : '';
    console.log(`   ${name.padEnd(34)}${sample(command, args).toFixed(2).padStart(8)} s${idle.padStart(22)}`);
  }
  const runner = ['tools/nx-plugin/src/run-target.mjs', 'projects/hosts', 'provision'];
  if (existsSync(join(work, runner[0]!)))
    console.log(
      `   ${'run-target.mjs (now)'.padEnd(34)}${''.padStart(10)}${`${sample(node, runner).toFixed(2)} s`.padStart(22)}`,
    );
}

console.log(`bench:graph on a copy of ${from}`);
noopAgainstWarmRender();
await targetStart();
