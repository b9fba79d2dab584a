// The launcher's bundle cache on a tiny workspace of its own: reused while nothing changed,
// rebuilt by any change to what it was built from, safe to build twice at once.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bundlesDir, targetBundle } from '../src/target-bundle.mjs';

let root: string;
const write = (path: string, text: string) => {
  mkdirSync(dirname(join(root, path)), { recursive: true });
  writeFileSync(join(root, path), text);
};
const bundle = (target = 'hello') =>
  targetBundle(root, 'projects/demo', target, join(root, 'runner.ts'), join(root, 'library.ts'));
/** What the bundled target's `greeting` is: a fresh import of the file the bundle names. */
const greeting = async (file: string) => ((await import(pathToFileURL(file).href)) as { greeting: string }).greeting;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'pc-target-bundle-'));
  write('tsconfig.base.json', '{}');
  write('runner.ts', 'export const runner = true;\n');
  write('library.ts', 'export const library = true;\n');
  write('projects/demo/src/words/index.ts', "export const word: string = 'hello';\n");
  write('projects/demo/src/targets/hello.ts', "import { word } from '../words';\nexport const greeting = word;\n");
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('targetBundle', () => {
  it('builds a project once and starts every later run from that build', async () => {
    const first = await bundle();
    expect(await greeting(first.target)).toBe('hello');
    expect(await bundle()).toEqual(first);
  });

  it('rebuilds after an edit to any file the target imports, and runs the edit', async () => {
    const first = await bundle();
    write('projects/demo/src/words/index.ts', "export const word: string = 'hello again';\n");
    const second = await bundle();
    expect(second.target).not.toBe(first.target);
    expect(await greeting(second.target)).toBe('hello again');
  });

  it('rebuilds when a new file changes what an import resolves to', async () => {
    await bundle();
    // '../words' resolved to words/index.ts; a words.ts beside the folder now comes first.
    write('projects/demo/src/words.ts', "export const word = 'shadowed';\n");
    expect(await greeting((await bundle()).target)).toBe('shadowed');
  });

  it('survives two starts building at once: both get a whole bundle, and the manifest stays readable', async () => {
    const [a, b] = await Promise.all([bundle(), bundle()]);
    expect(await greeting(a.target)).toBe('hello');
    expect(await greeting(b.target)).toBe('hello');
    const manifest = JSON.parse(readFileSync(join(bundlesDir(root), 'projects+demo.json'), 'utf8'));
    expect([a.target, b.target]).toContain(manifest.outputs['target.hello']);
  });

  it("keeps import.meta.dirname and new URL(…, import.meta.url) naming the source's neighbours, through a symlinked checkout too", async () => {
    write(
      'projects/demo/src/targets/where.ts',
      "export const greeting = [import.meta.dirname, new URL('../nix', import.meta.url).pathname].join(' ');\n",
    );
    const source = join(root, 'projects/demo/src/targets');
    const expected = `${source} ${join(root, 'projects/demo/src/nix')}`;
    expect(await greeting((await bundle('where')).target)).toBe(expected);
    const link = `${root}-link`;
    symlinkSync(root, link);
    try {
      const through = await targetBundle(
        link,
        'projects/demo',
        'where',
        join(link, 'runner.ts'),
        join(link, 'library.ts'),
      );
      expect(await greeting(through.target)).toBe(expected);
    } finally {
      rmSync(link, { force: true });
    }
  });

  it("gives a dynamically imported CommonJS package's named exports, as Node does", async () => {
    write('node_modules/fake-cjs/package.json', '{ "name": "fake-cjs", "main": "index.js" }');
    write('node_modules/fake-cjs/index.js', 'exports.answer = 42;\n');
    write('projects/demo/src/targets/lazy.ts', "export const greeting = (await import('fake-cjs')).answer;\n");
    expect(await greeting((await bundle('lazy')).target)).toBe(42);
  });

  it("runs a target whose project has another target that does not compile, and names a target's own error", async () => {
    write('projects/demo/src/targets/broken.ts', 'export const = ;\n');
    expect(await greeting((await bundle()).target)).toBe('hello');
    await expect(bundle('broken')).rejects.toThrow(/broken\.ts:1:13: ERROR/);
  });
});
