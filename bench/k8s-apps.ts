// npm run bench:k8s-apps — the k8s-apps layer: render time of the platform and the four apps (goal
// under 1 s), the size of the output, and a no-op provision in the sandbox world (goal: 0 commits
// and 0 pushes). Medians with their spread; a missed goal is printed as "missed", and the bench
// exits 0 either way.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseClusterConfig } from '@personal-cloud/cluster';
import shipped from '../cluster.config';
import { treeObjects } from '../projects/k8s-apps/src/check/tree-objects';
import { provisionK8sApps } from '../projects/k8s-apps/src/provision/provision-k8s-apps';
import { renderTree } from '../projects/k8s-apps/src/render/render-tree';
import { startAppsSandbox } from '../projects/k8s-apps/test/support/apps-sandbox';
import { spread, verdict } from './figures';

const RENDERS = 9;
const RENDER_GOAL_S = 1;

const config = parseClusterConfig(shipped);
const renderSeconds: number[] = [];
let tree = renderTree(config);
for (let i = 0; i < RENDERS; i++) {
  const started = performance.now();
  tree = renderTree(config);
  renderSeconds.push((performance.now() - started) / 1000);
}
const slowest = Math.max(...renderSeconds);
console.log(
  `render (platform + ${config.apps.length} apps, phase ${config.phase}): ${spread(renderSeconds, 3)} s over ${RENDERS} runs; goal < ${RENDER_GOAL_S} s: ${verdict(slowest < RENDER_GOAL_S)}`,
);
console.log(
  `output: ${treeObjects(tree.files).length} objects in ${tree.files.size} files; ${tree.secrets.length} Secrets created at deploy time`,
);

const world = await startAppsSandbox();
try {
  const run = () =>
    provisionK8sApps({ env: world.env, clone: join(world.root, 'clone'), clock: world.clock, log: () => {} });
  const first = await run();
  const bare = fileURLToPath(first.remoteUrl);
  const commits = () => Number(execFileSync('git', ['-C', bare, 'rev-list', '--count', '--all']).toString().trim());
  const before = commits();
  const started = performance.now();
  const again = await run();
  const noOpSeconds = (performance.now() - started) / 1000;
  const made = commits() - before;
  const pushes = again.pushed ? 1 : 0;
  console.log(
    `first provision: pushed ${first.pushed?.slice(0, 7)}, ${first.kustomizations.length} Flux Kustomizations Ready`,
  );
  console.log(
    `no-op provision: ${made} commits, ${pushes} pushes in ${noOpSeconds.toFixed(2)} s; goal 0: ${verdict(made === 0 && pushes === 0)}`,
  );
} finally {
  await world.stop();
}
