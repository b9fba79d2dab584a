// Everything check can say about a rendered tree without running a tool: each object against its
// schema and the rules, the hot tier's capacity, the Flux graph, and the vault's tokens.
import { nodesInPhase, type LayerConfig } from '@personal-cloud/cluster';
import { describeObject } from '../manifest/manifest';
import type { RuntimeSecret } from '../render/runtime-secrets';
import { claimClasses, storageTiers } from '../render/storage-tiers';
import { fluxGraphProblems } from './flux-graph';
import { hotCapacityProblems } from './hot-capacity';
import { claimIndex, OBJECT_RULES, type RuleContext } from './object-rules';
import { creatableSecrets } from './secret-references';
import { tokenLeakProblems } from './token-leaks';
import { treeObjects } from './tree-objects';

/** The directories of a tree (every prefix of every file's path). */
export function treeDirectories(files: ReadonlyMap<string, string>): Set<string> {
  const dirs = new Set<string>();
  for (const file of files.keys()) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) dirs.add(parts.slice(0, i).join('/'));
  }
  return dirs;
}

export interface CheckInputs {
  files: ReadonlyMap<string, string>;
  config: LayerConfig<'k8s-apps'>;
  /** The vault's tokens: none of their values may appear in a file. */
  tokens: Readonly<Record<string, string>>;
  /** The Secrets provision creates at deploy time, as render declares them. */
  secrets: readonly RuntimeSecret[];
}

export function checkTree({ files, config, tokens, secrets }: CheckInputs): string[] {
  const objects = treeObjects(files);
  const tiers = storageTiers(config);
  const context: RuleContext = {
    claimClasses: claimClasses(tiers),
    hot: tiers.hot,
    claims: claimIndex(objects),
    secrets: creatableSecrets(objects, secrets),
  };
  const objectProblems = objects.flatMap(({ file, owner, object }) =>
    OBJECT_RULES.flatMap((rule) => rule(object, context)).map(
      (problem) => `${owner}: ${describeObject(object)} (${file}): ${problem}`,
    ),
  );
  return [
    ...objectProblems,
    ...hotCapacityProblems(objects, nodesInPhase(config), tiers.hot),
    ...fluxGraphProblems(objects, treeDirectories(files)),
    ...tokenLeakProblems(files, tokens),
  ];
}
