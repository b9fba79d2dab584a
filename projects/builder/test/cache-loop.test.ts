// The cache loop with the real `nix`: Oxygen builds a derivation, the path is signed with the
// cache key, pushed to the binary cache stand-in with `nix copy --to http://…`, and a host that
// trusts only that key substitutes it. A host trusting another key, or a path nobody signed, is
// refused. Keys are made here as the key step makes them (./src/keys), not by nix.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startBinaryCache, type BinaryCacheRequest, type RunningBinaryCache } from '@personal-cloud/sandbox';
import { describeWithTool } from '../../../tools/test-support/external-tools';
import { builderKeys } from '../src/keys/builder-keys';
import { checkCache } from '../src/provision/cache-check';
import { generateNixSigningKey } from '../src/keys/nix-signing-key';
import { privateNix, type PrivateNix } from './private-nix';

const CACHE_KEY = builderKeys('pc').cacheSigningKey;

function derivationFile(dir: string, name: string, text: string): string {
  const file = join(dir, `${name}.nix`);
  writeFileSync(
    file,
    `builtins.derivation { name = "${name}"; system = builtins.currentSystem; builder = "/bin/sh"; args = [ "-c" "echo ${text} > $out" ]; }\n`,
  );
  return file;
}

describeWithTool('nix', 'the cache loop with real Nix', () => {
  let root: string;
  let nix: PrivateNix;
  let cache: RunningBinaryCache;
  const requests: BinaryCacheRequest[] = [];
  const key = generateNixSigningKey(CACHE_KEY.name);
  const otherKey = generateNixSigningKey('someone-else-1');
  let built: { drvPath: string; out: string };

  /** Builds on "Oxygen" (its own store) and returns the derivation and its output path. */
  const buildOnOxygen = async (file: string) => {
    const [result] = JSON.parse(
      await nix.ok(['build', '--store', nix.store('oxygen'), '-f', file, '--no-link', '--json']),
    ) as { drvPath: string; outputs: { out: string } }[];
    return { drvPath: result!.drvPath, out: result!.outputs.out };
  };

  /** `nix copy --from` the cache into a host store that trusts only `trustedKey`. */
  const copyFromCache = (host: string, path: string, trustedKey: string) =>
    nix.run(['copy', '--store', host, '--from', cache.url, path, '--option', 'trusted-public-keys', trustedKey]);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'pc-cache-loop-'));
    nix = privateNix(root);
    cache = await startBinaryCache({ dir: join(root, 'cache'), onRequest: (r) => requests.push(r) });
    writeFileSync(join(root, 'cache-signing-key'), key.secret);

    built = await buildOnOxygen(derivationFile(root, 'built-on-oxygen', 'built on oxygen'));
    await nix.ok([
      'store',
      'sign',
      '--store',
      nix.store('oxygen'),
      '--key-file',
      join(root, 'cache-signing-key'),
      built.out,
    ]);
    await nix.ok(['copy', '--store', nix.store('oxygen'), '--to', cache.url, built.out]);
  });

  afterAll(async () => {
    await cache?.stop();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('pushes the way an http binary cache store uploads: the NAR first, then its narinfo', () => {
    const puts = requests
      .filter((r) => r.method === 'PUT')
      .map((r) => `${r.status} ${r.path.replace(/[0-9a-z]{52}/, '<file hash>').replace(/[0-9a-z]{32}/, '<hash>')}`);
    expect(puts).toEqual(['200 /nar/<file hash>.nar.xz', '200 /<hash>.narinfo']);
  });

  it('substitutes on a host that trusts only the cache key, without building anything there', async () => {
    const host = nix.store('host');
    await nix.ok([
      'build',
      '--store',
      host,
      '--no-link',
      built.out,
      '--option',
      'substituters',
      cache.url,
      '--option',
      'trusted-public-keys',
      key.public,
    ]);
    expect(readFileSync(join(host, built.out), 'utf8')).toBe('built on oxygen\n');
    // Substituted, not built: the host never had the derivation.
    expect(existsSync(join(host, built.drvPath))).toBe(false);
    const [info] = JSON.parse(await nix.ok(['path-info', '--store', host, '--json', built.out])) as {
      signatures?: string[];
    }[];
    expect(info!.signatures?.map((s) => s.split(':')[0])).toEqual([CACHE_KEY.name]);
  });

  it('refuses the path on a host that trusts another key', async () => {
    const host = nix.store('host-trusting-another-key');
    const result = await copyFromCache(host, built.out, otherKey.public);
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain(`cannot add path '${built.out}' because it lacks a valid signature`);
    expect(existsSync(join(host, built.out))).toBe(false);
  });

  it('refuses a path that reached the cache unsigned, even on a host with the right key', async () => {
    const unsigned = await buildOnOxygen(derivationFile(root, 'never-signed', 'never signed'));
    await nix.ok(['copy', '--store', nix.store('oxygen'), '--to', cache.url, unsigned.out]);
    const host = nix.store('host-2');
    const result = await copyFromCache(host, unsigned.out, key.public);
    expect(result.stderr).toContain(`cannot add path '${unsigned.out}' because it lacks a valid signature`);
    expect(existsSync(join(host, unsigned.out))).toBe(false);
  });

  it("provision's cache check: green for a pushed, signed path; red, never thrown, for a missing path or a cache that is down", async () => {
    let pauses = 0;
    const pacing = { attempts: 2, pause: async () => void pauses++ };
    const input = { cacheUrl: cache.url, storePath: built.out, keyName: CACHE_KEY.name };
    expect(await checkCache(nix.run, input, pacing)).toEqual([
      { ok: true, text: `push: the cache at ${cache.url} has ${built.out}, which Oxygen added` },
      { ok: true, text: `substitution: the cache serves it signed by ${CACHE_KEY.name}, which every host trusts` },
    ]);
    expect(pauses).toBe(0);

    const missing = built.out.replace(/[0-9a-z]{32}/, '0'.repeat(32));
    expect(await checkCache(nix.run, { ...input, storePath: missing }, pacing)).toEqual([
      {
        ok: false,
        text: `push: the cache at ${cache.url} still lacks ${missing} after 2 tries; Oxygen's push loop (attic watch-store) has not uploaded it`,
      },
      { ok: false, text: `substitution: nothing to substitute from ${cache.url} until the push works` },
    ]);
    expect(pauses).toBe(1);

    const other = await checkCache(nix.run, { ...input, keyName: 'someone-else-1' }, pacing);
    expect(other[1]).toEqual({
      ok: false,
      text: `substitution: the cache serves it signed by ${CACHE_KEY.name}, not someone-else-1, so hosts refuse it ("lacks a valid signature")`,
    });

    const down = await checkCache(nix.run, { ...input, cacheUrl: 'http://127.0.0.1:1' }, pacing);
    expect(down).toEqual([
      {
        ok: false,
        text: "the cache at http://127.0.0.1:1 does not answer (unable to download 'http://127.0.0.1:1/nix-cache-info': Couldn't connect to server (7)): no push or substitution was checked",
      },
    ]);
  });
});
