// A config anywhere on disk, .ts or .mts, loaded by the real runner the way Nx starts it
// (`node tools/nx-plugin/src/run-target.mjs projects/cluster render`: the target from its bundle,
// tsx registered for the config), from a directory outside the workspace with no package.json: the
// case where tsx would compile the config to CommonJS and hand it a second copy of the library.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedConfig } from './fixtures';

const ROOT = resolve(import.meta.dirname, '../../..');

/** The seed config as a file that imports the library and names its secrets through vars, as cluster.config.ts does. */
function configSource(importFrom = "'@personal-cloud/cluster'"): string {
  const { operator: _operator, ...rest } = seedConfig();
  return [
    `import { defineCluster, vars } from ${importFrom};`,
    `export default defineCluster({ ...${JSON.stringify({ ...rest, phase: 1 })}, operator: { sshPublicKey: vars.OPERATOR.ssh_public_key, address: vars.OPERATOR.address } });`,
  ].join('\n');
}

let dir: string;

/** Runs cluster:render with CLOUD_CONFIG; `render` writes dist/ under the working directory, here the temp dir. */
async function render(config: string): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = [join(ROOT, 'tools/nx-plugin/src/run-target.mjs'), join(ROOT, 'projects/cluster'), 'render'];
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, args, {
      cwd: dir,
      env: { ...process.env, CLOUD_CONFIG: config, FORCE_COLOR: undefined, NO_COLOR: '1' },
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pc-outside-'));
  expect(dir.startsWith(ROOT)).toBe(false);
});
afterAll(async () => rm(dir, { recursive: true, force: true }));

describe('a config outside the workspace', () => {
  it.each(['good.ts', 'good.mts'])(
    'renders %s with the one library instance, so vars references stay references',
    async (name) => {
      const file = join(dir, name);
      await writeFile(file, configSource());
      const result = await render(file);
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^cluster pc, phase 1: 1 servers/);
      const model = JSON.parse(await readFile(join(dir, 'dist/cluster/render/model.json'), 'utf8'));
      expect(model.nodes.map((n: { name: string }) => n.name)).toEqual(['worker-1']);
    },
  );

  it('renders through Nx itself: npx nx run cluster:render with CLOUD_CONFIG outside the workspace', async () => {
    const file = join(dir, 'nx.ts');
    await writeFile(file, configSource());
    // No daemon and no cache: the task must really run, in this process tree, and leave nothing behind.
    const env = {
      ...process.env,
      CLOUD_CONFIG: file,
      NX_DAEMON: 'false',
      NX_NO_CLOUD: 'true',
      FORCE_COLOR: undefined,
      NO_COLOR: '1',
    };
    const { stdout } = await promisify(execFile)(
      join(ROOT, 'node_modules/.bin/nx'),
      ['run', 'cluster:render', '--skip-nx-cache', '--output-style=stream'],
      { cwd: ROOT, env },
    );
    expect(stdout).toMatch(/cluster pc, phase 1: 1 servers/);
  }, 120_000);

  it('follows the config into a local module that imports the library too', async () => {
    await writeFile(
      join(dir, 'operator.ts'),
      "import { vars } from '@personal-cloud/cluster';\nexport const operator = { sshPublicKey: vars.OPERATOR.ssh_public_key, address: vars.OPERATOR.address };\n",
    );
    const { operator: _operator, ...rest } = seedConfig();
    const file = join(dir, 'split.ts');
    await writeFile(
      file,
      `import { operator } from './operator.ts';\nexport default { ...${JSON.stringify({ ...rest, phase: 1 })}, operator };\n`,
    );
    const result = await render(file);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    // What the slices were made from names both files, so an edit to either sends provision back to the config.
    const sources = JSON.parse(await readFile(join(dir, 'dist/cluster/render/slices/sources.json'), 'utf8'));
    expect(sources.config).toBe(file);
    expect(Object.keys(sources.files)).toEqual([join(dir, 'operator.ts'), file]);
  });

  it('names the file, line and column of a syntax error in one line', async () => {
    const file = join(dir, 'broken.ts');
    await writeFile(file, 'export default {\n  name: "pc",\n  phase: 4 4,\n};\n');
    const result = await render(file);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^error: \S*broken\.ts:3:11 is not valid TypeScript: Expected "}" but found "4"\.$/,
    );
  });

  it('says in one sentence that a default-exported Promise should be the object itself', async () => {
    const file = join(dir, 'promised.ts');
    await writeFile(file, `export default Promise.resolve(${JSON.stringify(seedConfig())});\n`);
    const result = await render(file);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^error: \S*promised\.ts is not a valid cluster description: its default export is a Promise; export the config object itself .*\.$/,
    );
  });

  it('names the file and the error when a getter in the config throws, without a stack trace', async () => {
    const file = join(dir, 'getter.ts');
    await writeFile(
      file,
      `const config = ${JSON.stringify(seedConfig())};\nObject.defineProperty(config, 'phase', { enumerable: true, get() { throw new Error('phase unknown'); } });\nexport default config;\n`,
    );
    const result = await render(file);
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toMatch(
      /^error: \S*getter\.ts could not be read: reading its default export threw Error "phase unknown"\.$/,
    );
  });
});
