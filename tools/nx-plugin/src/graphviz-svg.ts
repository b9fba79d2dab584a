// DOT to SVG: with Graphviz compiled to WebAssembly (@hpcc-js/wasm-graphviz, from npm, so a fresh
// clone needs nothing else), or else with Graphviz's own `dot` from PATH. No browser involved.
import { spawnSync } from 'node:child_process';

const WASM_PACKAGE = '@hpcc-js/wasm-graphviz';

interface WasmGraphviz {
  Graphviz: { load(): Promise<{ dot(source: string, format: 'svg'): string }> };
}

/** Which renderer this machine has, or undefined when it has neither. */
export async function findGraphviz(): Promise<((dot: string) => Promise<string>) | undefined> {
  try {
    // A variable, so the type check does not need the package before it is installed.
    const { Graphviz } = (await import(WASM_PACKAGE)) as WasmGraphviz;
    const graphviz = await Graphviz.load();
    return async (dot) => graphviz.dot(dot, 'svg');
  } catch {
    if (spawnSync('dot', ['-V']).status !== 0) return undefined;
    return async (dot) => {
      const run = spawnSync('dot', ['-Tsvg'], { input: dot, encoding: 'utf8' });
      if (run.status !== 0) throw new Error(`dot -Tsvg failed: ${run.stderr.trim()}`);
      return run.stdout;
    };
  }
}

export const NO_GRAPHVIZ = `no Graphviz renderer here: run \`npm ci\` (it installs ${WASM_PACKAGE}), or install Graphviz's dot (\`apt-get install graphviz\`).`;
