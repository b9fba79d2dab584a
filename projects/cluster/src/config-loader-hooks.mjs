// Node module hooks for loading cluster.config.ts from anywhere on disk; registered by load-config.ts.
// Plain JavaScript: hooks run on Node's loader thread, before any TypeScript support is guaranteed.
//
// A config outside the workspace has no package.json saying "type": "module", so tsx compiles it
// to CommonJS. Its `import { vars } from '@personal-cloud/cluster'` then becomes a require(), and
// CommonJS keeps its own module cache: the config gets a second copy of the library, whose `vars`
// carry another Symbol, and validation sees objects instead of references. Making reference symbols
// global (Symbol.for) would paper over that one symptom while every other module-level identity
// (CloudError, schemas) stayed doubled. Instead, the config and the files it imports are loaded as
// ES modules, and their import of the library resolves to the very URL the running program
// loaded, so Node's one ESM cache hands them the instance that is already there.
//
// The config's TypeScript is compiled here too, by esbuild (as tsx would, with the same error
// messages): a target started from its bundle then needs no tsx for it, whose registration costs
// three times as much as the compile.

import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/** @type {string} the library's index as this process loaded it */
let library;
/** @type {string} load-config's own URL: whatever it imports is a config */
let loader;
/** URLs of the config files and the local files they import. */
const configGraph = new Set();
/** Where each file of the config graph is reported to load-config.ts (which records what a config read). */
let reportPort;
/** What a relative import in a config may leave out, tried in TypeScript's order. */
const COMPLETIONS = ['', '.ts', '.mts', '.js', '.mjs', '/index.ts', '/index.mts', '/index.js', '/index.mjs'];
const SCRIPT = /\.(ts|mts|js|mjs)$/;

export function initialize(data) {
  library = data.library;
  loader = data.loader;
  reportPort = data.port;
}

/** The local script a config's file import names, or undefined for anything else (packages, JSON, missing files). */
function localScript(specifier, parentURL) {
  if (!/^(\.{1,2}\/|\/|file:)/.test(specifier)) return undefined;
  const base = new URL(specifier, parentURL);
  for (const completion of COMPLETIONS) {
    const url = new URL(base.href + completion);
    const path = fileURLToPath(url);
    if (SCRIPT.test(path) && existsSync(path) && statSync(path).isFile()) return url.href;
  }
  return undefined;
}

export async function resolve(specifier, context, next) {
  const fromConfig = context.parentURL === loader || configGraph.has(context.parentURL);
  if (!fromConfig) return next(specifier, context);
  if (specifier === '@personal-cloud/cluster') return { url: library, format: 'module', shortCircuit: true };
  // Resolved here rather than by tsx, which would hand an extension-less package's .ts file to CommonJS.
  const url = localScript(specifier, context.parentURL);
  if (!url || url.includes('/node_modules/')) return next(specifier, context);
  configGraph.add(url);
  reportPort?.postMessage(url);
  return { url, format: 'module', shortCircuit: true };
}

/** Config files that are TypeScript: compiled to JavaScript, nothing else changed. */
export async function load(url, context, next) {
  if (!configGraph.has(url) || !/\.m?ts$/.test(url)) return next(url, context);
  const { transform } = await import('esbuild');
  const file = fileURLToPath(url);
  const { code } = await transform(await readFile(file, 'utf8'), {
    loader: 'ts',
    format: 'esm',
    target: 'node20',
    sourcefile: file,
    sourcemap: 'inline',
  });
  return { format: 'module', source: code, shortCircuit: true };
}
