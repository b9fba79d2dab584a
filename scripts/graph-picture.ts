#!/usr/bin/env -S npx tsx
// `npm run graph:picture`: the project graph as `nx graph` computes it, drawn to docs/graph.svg
// for the README. Nx writes the graph as JSON; tools/nx-plugin turns it into DOT, and Graphviz
// (WebAssembly from npm, or `dot`) draws it. Run it again after the projects or their edges change.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { findGraphviz, NO_GRAPHVIZ } from '../tools/nx-plugin/src/graphviz-svg';
import { type NxGraphFile, projectGraphDot } from '../tools/nx-plugin/src/project-graph-dot';

const root = resolve(import.meta.dirname, '..');
const out = join(root, 'docs/graph.svg');

const render = await findGraphviz();
if (!render) {
  console.error(`error: ${NO_GRAPHVIZ}`);
  process.exit(1);
}
const temp = mkdtempSync(join(tmpdir(), 'pc-graph-picture-'));
try {
  const file = join(temp, 'graph.json');
  const nx = spawnSync(join(root, 'node_modules/.bin/nx'), ['graph', `--file=${file}`], {
    cwd: root,
    env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' },
    encoding: 'utf8',
  });
  if (nx.status !== 0) {
    console.error(`error: nx graph failed (exit ${nx.status}): ${(nx.stderr || nx.stdout).trim()}`);
    process.exit(1);
  }
  const drawn = await render(projectGraphDot(JSON.parse(readFileSync(file, 'utf8')) as NxGraphFile));
  // Graphviz titles only its inner group; the picture itself needs a name for screen readers.
  const svg = drawn.replace('<svg ', '<svg role="img" aria-label="personal-cloud: the Nx projects and their edges" ');
  mkdirSync(join(root, 'docs'), { recursive: true });
  writeFileSync(out, svg);
  console.log(`wrote ${out}`);
} finally {
  rmSync(temp, { recursive: true, force: true });
}
