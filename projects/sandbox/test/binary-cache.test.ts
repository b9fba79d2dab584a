// The binary cache stand-in over HTTP, with uploads made in Node the way `nix copy --to` makes
// them (the real-Nix loop is in projects/builder/test/cache-loop.test.ts): what it serves, what
// it refuses, and that it keeps what it was given across a restart.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startBinaryCache, type BinaryCacheRequest, type RunningBinaryCache } from '../src';
import { toNixBase32 } from '../src/binary-cache';

const HASH = '8xkqbc2wym45d8dsrbgkqiqsp8sj1sas';
const STORE_PATH = `/nix/store/${HASH}-hello-cache`;
const NAR = Buffer.from('not really xz, but the stand-in only stores and hashes bytes');
const fileHash = (bytes: Buffer) => `sha256:${toNixBase32(createHash('sha256').update(bytes).digest())}`;
const NAR_URL = `nar/${toNixBase32(createHash('sha256').update(NAR).digest())}.nar.xz`;

function narInfo(overrides: Record<string, string> = {}): string {
  const fields = {
    StorePath: STORE_PATH,
    URL: NAR_URL,
    Compression: 'xz',
    FileHash: fileHash(NAR),
    FileSize: String(NAR.length),
    NarHash: 'sha256:0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73',
    NarSize: '128',
    References: '',
    Sig: 'test-cache-1:c2lnbmF0dXJl',
    ...overrides,
  };
  return Object.entries(fields)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
}

let running: RunningBinaryCache[] = [];
afterEach(async () => {
  await Promise.all(running.map((c) => c.stop()));
  running = [];
});

const folders: string[] = [];
afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

async function start(dir = newFolder(), requests: BinaryCacheRequest[] = []) {
  const cache = await startBinaryCache({ dir, onRequest: (r) => requests.push(r) });
  running.push(cache);
  return { cache, dir, requests, url: (path: string) => `${cache.url}${path}` };
}

function newFolder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pc-cache-'));
  folders.push(dir);
  return dir;
}

describe('Nix base-32', () => {
  it('writes sha256 digests as `nix hash to-base32` does', () => {
    expect(toNixBase32(createHash('sha256').update('').digest())).toBe(
      '0mdqa9w1p6cmli6976v4wi0sw9r4p5prkj7lzfd1877wk11c9c73',
    );
    expect(toNixBase32(createHash('sha256').update('hello').digest())).toBe(
      '094qif9n4cq4fdg459qzbhg1c6wywawwaaivx0k0x8xhbyx4vwic',
    );
  });
});

describe('binary cache stand-in', () => {
  it('announces the store it serves, on a port of its own', async () => {
    const { cache, url } = await start();
    expect(cache.port).toBeGreaterThan(0);
    const answer = await fetch(url('/nix-cache-info'));
    expect(answer.headers.get('content-type')).toBe('text/x-nix-cache-info');
    expect(await answer.text()).toBe('StoreDir: /nix/store\nWantMassQuery: 1\nPriority: 41\n');
  });

  it('serves an uploaded NAR and its narinfo, and keeps them across a restart', async () => {
    const first = await start();
    expect((await fetch(first.url(`/${HASH}.narinfo`))).status).toBe(404);
    expect((await fetch(first.url(`/${NAR_URL}`), { method: 'PUT', body: NAR })).status).toBe(200);
    expect((await fetch(first.url(`/${HASH}.narinfo`), { method: 'PUT', body: narInfo() })).status).toBe(200);
    await first.cache.stop();

    const again = await start(first.dir);
    const info = await fetch(again.url(`/${HASH}.narinfo`));
    expect(info.headers.get('content-type')).toBe('text/x-nix-narinfo');
    expect(await info.text()).toBe(narInfo());
    expect(Buffer.from(await (await fetch(again.url(`/${NAR_URL}`))).arrayBuffer())).toEqual(NAR);
    const head = await fetch(again.url(`/${NAR_URL}`), { method: 'HEAD' });
    expect([head.status, head.headers.get('content-length')]).toEqual([200, String(NAR.length)]);
  });

  it('refuses a narinfo whose NAR was never uploaded, so no reader gets a dangling one', async () => {
    const { url } = await start();
    const answer = await fetch(url(`/${HASH}.narinfo`), { method: 'PUT', body: narInfo() });
    expect(answer.status).toBe(400);
    expect(await answer.text()).toBe(
      `the narinfo for ${HASH} names ${NAR_URL}, which was never uploaded: PUT the NAR first\n`,
    );
    expect((await fetch(url(`/${HASH}.narinfo`))).status).toBe(404);
  });

  it('refuses a narinfo that does not describe the uploaded file or the path it is stored under', async () => {
    const { url, requests } = await start();
    await fetch(url(`/${NAR_URL}`), { method: 'PUT', body: NAR });
    const wrongHash = await fetch(url(`/${HASH}.narinfo`), {
      method: 'PUT',
      body: narInfo({ FileHash: fileHash(Buffer.from('other')) }),
    });
    expect(wrongHash.status).toBe(400);
    expect(await wrongHash.text()).toContain(`but the uploaded file is ${NAR.length} bytes with ${fileHash(NAR)}`);
    const otherPath = await fetch(url(`/${HASH}.narinfo`), {
      method: 'PUT',
      body: narInfo({ StorePath: '/nix/store/094qif9n4cq4fdg459qzbhg1c6wywaww-x' }),
    });
    expect(await otherPath.text()).toContain(
      `describes /nix/store/094qif9n4cq4fdg459qzbhg1c6wywaww-x, which is not /nix/store/${HASH}-…`,
    );
    const noUrl = await fetch(url(`/${HASH}.narinfo`), { method: 'PUT', body: narInfo().replace(/^URL: .*\n/m, '') });
    expect(await noUrl.text()).toBe(`the narinfo for ${HASH} is not valid: it has no URL field\n`);
    expect((await fetch(url(`/${HASH}.narinfo`))).status).toBe(404);
    expect(requests.filter((r) => r.method === 'PUT').map((r) => r.status)).toEqual([200, 400, 400, 400]);
  });

  it('answers only the binary cache protocol, and never a name outside its folder', async () => {
    const { url } = await start();
    expect((await fetch(url('/nix-cache-info'), { method: 'PUT', body: 'x' })).status).toBe(405);
    expect((await fetch(url(`/${HASH}.narinfo`), { method: 'DELETE' })).status).toBe(405);
    expect((await fetch(url('/nar/..%2F..%2Fetc%2Fpasswd'))).status).toBe(404);
    expect((await fetch(url('/nar/x.nar.xz%2F..'), { method: 'PUT', body: 'x' })).status).toBe(404);
    expect((await fetch(url('/v1/servers'))).status).toBe(404);
  });
});
