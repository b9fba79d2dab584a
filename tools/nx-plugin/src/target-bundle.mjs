// Bundles a project's target modules with esbuild, once, into a cache that every start checks.
//
// Why: loading a target's TypeScript through tsx costs 1–3 s of CPU per start (each of hundreds of
// modules goes through tsx's hooks on Node's loader thread), against 0.2 s for one bundle that
// plain Node loads. The npm packages are bundled too: left external, Node resolves and loads them
// file by file, which costs 2–4× as much (npm run bench:graph measures both).
//
// One bundle per project holds all of its targets, the runner and the cluster library, split into
// shared chunks: the library has an entry of its own, so that a config loaded at run time imports
// the very instance the target uses (projects/cluster/src/run-from-bundle.ts). If the project does
// not build (a syntax error in one target's file), the requested target is bundled alone, so that
// the others run as they would from source.
//
// A bundle is never stale: its manifest lists every file esbuild read (its metafile) with size and
// mtime, and the folders where a file added could change what an import resolves to, plus the
// build's own settings. Any difference rebuilds. Builds go to a fresh directory and the manifest
// is replaced by a rename, so concurrent starts never see half a bundle; a superseded build is
// removed an hour later (a target still running may import from it).
//
// Plain JavaScript: the launcher runs it before anything can load TypeScript.
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** In each workspace's folder: the checkout it belongs to, so that folders of deleted copies can go. */
const WORKSPACE_MARKER = 'workspace';
/** Bump when the bundle's layout or options change: older manifests then no longer match. */
const FORMAT = 2;
/** A superseded build is kept this long for targets that started from it and still import from it. */
const SUPERSEDED_KEPT_MS = 60 * 60 * 1000;
/** Loaded at run time, never bundled: tsx is registered only when a target imports TypeScript at run time. */
const EXTERNAL = ['tsx', 'tsx/*', 'esbuild'];
const SCRIPT = /\.[cm]?[jt]sx?$/;
/** Bundled CommonJS packages call require(); ESM output has none of its own. */
const BANNER =
  "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);";

/** Where a workspace's bundles live: the shared node_modules may serve several checkouts, so each has its own folder. */
export function bundlesDir(workspaceRoot) {
  const key = createHash('sha256').update(workspaceRoot).digest('hex').slice(0, 16);
  return join(workspaceRoot, 'node_modules/.cache/personal-cloud/targets', key);
}

/** bundlesDir, made on first use with the marker that names its checkout. */
function workspaceDir(workspaceRoot) {
  const dir = bundlesDir(workspaceRoot);
  if (!existsSync(join(dir, WORKSPACE_MARKER))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, WORKSPACE_MARKER), workspaceRoot);
  }
  return dir;
}

/** What a manifest records of a file or directory: enough to see any edit, addition or removal. */
function stamp(path) {
  try {
    const stat = statSync(path);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return 'absent';
  }
}

/** Whether a manifest still describes its sources: the same settings, and every recorded path as it was. */
export function isCurrent(manifest, settings) {
  if (!manifest || manifest.format !== FORMAT || manifest.settings !== settings) return false;
  for (const [path, recorded] of Object.entries(manifest.stamps)) if (stamp(path) !== recorded) return false;
  return true;
}

/**
 * The stamps of what esbuild read, and of the folders where a new file could change an import's
 * resolution: each script's folder and, for the workspace's own sources, the one above it (where a
 * `words.ts` would come before the `words/index.ts` that `../words` found). npm's installs show in
 * the packages' files themselves.
 */
export function stampsOf(files) {
  const scripts = files.filter((file) => SCRIPT.test(file));
  const above = scripts.filter((file) => !file.includes('/node_modules/')).map((file) => dirname(dirname(file)));
  const dirs = new Set([...scripts.map((file) => dirname(file)), ...above]);
  return Object.fromEntries([...files, ...dirs].sort().map((path) => [path, stamp(path)]));
}

function readManifest(file) {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/**
 * Keeps `import.meta.dirname`, `import.meta.filename` and `new URL('<path>', import.meta.url)`
 * naming the source file's own neighbours, as they do when the source runs (hosts' Nix folder, the
 * config loader's hooks). A bare `import.meta.url` stays the bundle's: it is where the code runs.
 */
function sourceLocations(workspaceRoot) {
  // esbuild names files by their real path, whatever symlink the workspace was reached through.
  const root = realpathSync(workspaceRoot);
  return {
    name: 'source-locations',
    setup(build) {
      build.onLoad({ filter: /\.m?ts$/ }, (args) => {
        if (args.path.includes('/node_modules/') || !args.path.startsWith(root)) return undefined;
        const text = readFileSync(args.path, 'utf8');
        if (!text.includes('import.meta')) return { contents: text, loader: 'ts' };
        const url = JSON.stringify(pathToFileURL(args.path).href);
        const contents = text
          .replaceAll('import.meta.dirname', JSON.stringify(dirname(args.path)))
          .replaceAll('import.meta.filename', JSON.stringify(args.path))
          .replace(/new URL\((\s*(['"`])[^'"`]*\2\s*),\s*import\.meta\.url\s*\)/g, `new URL($1, ${url})`);
        return { contents, loader: 'ts' };
      });
    },
  };
}

/**
 * Leaves a package that the code imports dynamically to Node, at run time. It is loaded lazily
 * anyway (the S3 client, only against Hetzner), and Node gives a CommonJS package's named exports
 * to `await import()`, where a bundle would give only `default`.
 */
function dynamicPackagesExternal() {
  return {
    name: 'dynamic-packages-external',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.kind !== 'dynamic-import' || args.pluginData === 'resolving') return undefined;
        const { path } = await build.resolve(args.path, {
          kind: args.kind,
          importer: args.importer,
          resolveDir: args.resolveDir,
          pluginData: 'resolving',
        });
        return path.includes('/node_modules/') ? { path: args.path, external: true } : undefined;
      });
    },
  };
}

/**
 * Builds `entries` ({ name: source file }) into a new folder under `dir` and returns its manifest,
 * or throws esbuild's error. `library` names the entry whose URL the bundled code learns as
 * PERSONAL_CLOUD_BUNDLED_LIBRARY.
 */
async function build(workspaceRoot, dir, entries, library, settings) {
  const { build: esbuild } = await import('esbuild');
  const out = join(dir, `build-${process.pid}-${Date.now().toString(36)}`);
  const libraryUrl = pathToFileURL(join(out, `${library}.mjs`)).href;
  try {
    const result = await esbuild({
      absWorkingDir: workspaceRoot,
      entryPoints: entries,
      outdir: out,
      outExtension: { '.js': '.mjs' },
      bundle: true,
      splitting: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      tsconfig: join(workspaceRoot, 'tsconfig.base.json'),
      external: EXTERNAL,
      banner: { js: BANNER },
      define: { PERSONAL_CLOUD_BUNDLED_LIBRARY: JSON.stringify(libraryUrl) },
      plugins: [sourceLocations(workspaceRoot), dynamicPackagesExternal()],
      metafile: true,
      logLevel: 'silent',
    });
    const files = Object.keys(result.metafile.inputs).map((input) => resolve(workspaceRoot, input));
    const outputs = Object.fromEntries(Object.keys(entries).map((name) => [name, join(out, `${name}.mjs`)]));
    return { format: FORMAT, settings, stamps: stampsOf(files), out, outputs };
  } catch (error) {
    rmSync(out, { recursive: true, force: true });
    throw error;
  }
}

/** Replaces the manifest in one rename, then removes builds superseded more than an hour ago. */
function publish(dir, name, manifest) {
  const file = join(dir, `${name}.json`);
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, JSON.stringify(manifest));
  renameSync(temporary, file);
  const live = new Set(
    readdirSync(dir)
      .filter((entry) => entry.endsWith('.json'))
      .map((entry) => readManifest(join(dir, entry))?.out),
  );
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (!entry.startsWith('build-') || live.has(path)) continue;
    if (Date.now() - statSync(path).mtimeMs > SUPERSEDED_KEPT_MS) rmSync(path, { recursive: true, force: true });
  }
}

/** This file and esbuild's version shape every bundle: a change to either is a new setting. */
const BUILDER = [import.meta.filename, createRequire(import.meta.url).resolve('esbuild/package.json')];

/** The manifest at `dir/<name>.json` if still current, else a new build of `entries`, published under that name. */
async function cached(workspaceRoot, dir, name, entries) {
  const settings = JSON.stringify({ entries, builder: stampsOf(BUILDER) });
  const current = readManifest(join(dir, `${name}.json`));
  if (isCurrent(current, settings)) return current;
  const manifest = await build(workspaceRoot, dir, entries, 'library', settings);
  publish(dir, name, manifest);
  pruneAbandoned(dirname(dir));
  return manifest;
}

/**
 * The bundle to start `target` of the project at `projectRoot` from: file paths of its `runner`,
 * `library` and `target` entries. Throws esbuild's error when the target's own sources do not build.
 */
export async function targetBundle(workspaceRoot, projectRoot, target, runner, library) {
  const dir = workspaceDir(workspaceRoot);
  const targets = resolve(workspaceRoot, projectRoot, 'src/targets');
  const common = { runner, library };
  const project = relative(workspaceRoot, resolve(workspaceRoot, projectRoot)).replaceAll('/', '+');
  const all = Object.fromEntries(
    readdirSync(targets)
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => [`target.${file.slice(0, -3)}`, join(targets, file)]),
  );
  const pick = (manifest) => ({ ...manifest.outputs, target: manifest.outputs[`target.${target}`] });
  try {
    return pick(await cached(workspaceRoot, dir, project, { ...common, ...all }));
  } catch {
    // Another target's file may be what fails; this one may still build alone (and if not, its error is the one to see).
    const alone = { ...common, [`target.${target}`]: join(targets, `${target}.ts`) };
    return pick(await cached(workspaceRoot, dir, `${project}.${target}`, alone));
  }
}

/**
 * The bundle of one script (e.g. scripts/state.ts) with the cluster library as its own entry, like
 * a target's: `npm run state` starts in a fraction of tsx's time, and its tests run it dozens of times.
 */
export async function scriptBundle(workspaceRoot, script, library) {
  const dir = workspaceDir(workspaceRoot);
  const name = `script+${relative(workspaceRoot, script).replaceAll('/', '+')}`;
  return (await cached(workspaceRoot, dir, name, { script, library })).outputs;
}

/** Removes the bundles of checkouts that no longer exist (workspace copies made by tests and benches). */
function pruneAbandoned(parent) {
  for (const entry of readdirSync(parent)) {
    let root;
    try {
      root = readFileSync(join(parent, entry, WORKSPACE_MARKER), 'utf8');
    } catch {
      continue;
    }
    if (!existsSync(root)) rmSync(join(parent, entry), { recursive: true, force: true });
  }
}
