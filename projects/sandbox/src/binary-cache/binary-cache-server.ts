// The sandbox's stand-in for the cluster's binary cache (attic in k8s-apps): the Nix binary cache
// protocol over HTTP, as real `nix` speaks it. Substituters GET /nix-cache-info, /<hash>.narinfo
// and /nar/<file>; `nix copy --to http://…` (Nix 2.8) GETs the narinfo, HEADs the NAR, then PUTs
// the NAR and last the narinfo. Everything lives as plain files under one directory, so a
// restarted stand-in serves what was pushed before.
import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseNarInfo, storePathHash } from './narinfo';
import { STORE_HASH, toNixBase32 } from './nix-base32';

export interface BinaryCacheOptions {
  /** Where narinfos (<hash>.narinfo) and NARs (nar/<file>) are kept; created when missing. */
  dir: string;
  host?: string;
  /** 0 (the default) takes a free port. */
  port?: number;
  storeDir?: string;
  /** Lower is preferred by substituters; attic announces 41. */
  priority?: number;
  /** Told about every request once it is answered. */
  onRequest?: (request: BinaryCacheRequest) => void;
}

export interface BinaryCacheRequest {
  method: string;
  path: string;
  status: number;
}

export interface RunningBinaryCache {
  /** http://127.0.0.1:PORT: what `nix copy --to/--from` and `substituters` take. */
  url: string;
  port: number;
  stop(): Promise<void>;
}

const NARINFO_PATH = /^\/([0-9a-z]{32})\.narinfo$/;
/** nar/<file hash>.nar[.<compression>]: no dots or slashes beyond that, so a name never leaves nar/. */
const NAR_PATH = /^\/(nar\/[0-9a-z]+\.nar(?:\.[a-z0-9]+)?)$/;
/** A narinfo is a few hundred bytes; anything far larger is not one. */
const NARINFO_LIMIT = 64 * 1024;

class Refusal extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export async function startBinaryCache(options: BinaryCacheOptions): Promise<RunningBinaryCache> {
  const { dir, host = '127.0.0.1', storeDir = '/nix/store', priority = 41 } = options;
  await mkdir(join(dir, 'nar'), { recursive: true });
  const cacheInfo = `StoreDir: ${storeDir}\nWantMassQuery: 1\nPriority: ${priority}\n`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<number> => {
    const method = req.method ?? 'GET';
    const path = new URL(req.url ?? '/', 'http://cache').pathname;
    const reading = method === 'GET' || method === 'HEAD';
    if (path === '/nix-cache-info') {
      if (!reading) throw new Refusal(405, 'nix-cache-info is read-only');
      return sendText(res, method, 'text/x-nix-cache-info', cacheInfo);
    }
    const narinfo = NARINFO_PATH.exec(path);
    if (narinfo && STORE_HASH.test(narinfo[1]!)) {
      const file = join(dir, `${narinfo[1]}.narinfo`);
      if (reading) return sendFile(res, method, 'text/x-nix-narinfo', file);
      if (method === 'PUT') return acceptNarInfo(req, res, narinfo[1]!, file);
      throw new Refusal(405, `${method} is not allowed on a narinfo; allowed: GET, HEAD, PUT`);
    }
    const nar = NAR_PATH.exec(path);
    if (nar) {
      const file = join(dir, nar[1]!);
      if (reading) return sendFile(res, method, 'application/x-nix-nar', file);
      if (method === 'PUT') {
        await writeAtomically(file, req);
        return sendText(res, method, 'text/plain', '');
      }
      throw new Refusal(405, `${method} is not allowed on a NAR; allowed: GET, HEAD, PUT`);
    }
    throw new Refusal(404, `${path} is not part of a Nix binary cache`);
  };

  /** A narinfo is accepted only when it describes the NAR already uploaded, so no reader ever gets a dangling one. */
  const acceptNarInfo = async (
    req: IncomingMessage,
    res: ServerResponse,
    hash: string,
    file: string,
  ): Promise<number> => {
    const text = (await readBody(req, NARINFO_LIMIT)).toString('utf8');
    const info = parseNarInfo(text);
    if (typeof info === 'string') throw new Refusal(400, `the narinfo for ${hash} is not valid: ${info}`);
    if (storePathHash(info.storePath, storeDir) !== hash)
      throw new Refusal(
        400,
        `the narinfo uploaded as ${hash}.narinfo describes ${info.storePath}, which is not ${storeDir}/${hash}-…`,
      );
    const nar = NAR_PATH.exec(`/${info.url}`);
    if (!nar)
      throw new Refusal(
        400,
        `the narinfo for ${hash} names URL "${info.url}", which is not nar/<hash>.nar[.<compression>]`,
      );
    const narFile = join(dir, nar[1]!);
    const size = await stat(narFile).then(
      (s) => s.size,
      () => undefined,
    );
    if (size === undefined)
      throw new Refusal(400, `the narinfo for ${hash} names ${info.url}, which was never uploaded: PUT the NAR first`);
    const fileHash = `sha256:${toNixBase32(
      createHash('sha256')
        .update(await readFile(narFile))
        .digest(),
    )}`;
    if (size !== info.fileSize || fileHash !== info.fileHash)
      throw new Refusal(
        400,
        `the narinfo for ${hash} says ${info.url} is ${info.fileSize} bytes with ${info.fileHash}, but the uploaded file is ${size} bytes with ${fileHash}`,
      );
    await writeAtomically(file, [Buffer.from(text)]);
    return sendText(res, 'PUT', 'text/plain', '');
  };

  const server = createServer((req, res) => {
    handle(req, res).then(
      (status) => report(req, status),
      (error: unknown) => {
        const status = error instanceof Refusal ? error.status : 500;
        if (!(error instanceof Refusal)) console.error('binary cache: request failed', error);
        req.resume();
        if (!res.headersSent)
          sendText(
            res,
            req.method ?? 'GET',
            'text/plain',
            `${error instanceof Refusal ? error.message : 'internal error'}\n`,
            status,
          );
        else res.destroy();
        report(req, status);
      },
    );
  });
  const report = (req: IncomingMessage, status: number) =>
    options.onRequest?.({
      method: req.method ?? 'GET',
      path: new URL(req.url ?? '/', 'http://cache').pathname,
      status,
    });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  let stopped = false;
  return {
    url: `http://${host}:${port}`,
    port,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await new Promise<void>((resolvePromise) => {
        server.close(() => resolvePromise());
        server.closeAllConnections();
      });
    },
  };
}

function sendText(res: ServerResponse, method: string, type: string, text: string, status = 200): number {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': String(Buffer.byteLength(text)) });
  res.end(method === 'HEAD' ? undefined : text);
  return status;
}

async function sendFile(res: ServerResponse, method: string, type: string, file: string): Promise<number> {
  const size = await stat(file).then(
    (s) => s.size,
    () => undefined,
  );
  if (size === undefined) return sendText(res, method, 'text/plain', 'not in this cache\n', 404);
  res.writeHead(200, { 'Content-Type': type, 'Content-Length': String(size) });
  if (method === 'HEAD') res.end();
  else
    await pipeline(createReadStream(file), res).catch((error: unknown) => {
      // A reader that hangs up mid-NAR is its own business, not the cache's failure.
      if (!res.destroyed) throw error;
    });
  return 200;
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    length += chunk.length;
    if (length > limit) throw new Refusal(413, `the upload is larger than ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/** Written beside the target and renamed over it: a reader sees the old file or the whole new one. */
async function writeAtomically(file: string, body: AsyncIterable<Buffer> | Iterable<Buffer>): Promise<void> {
  const temp = `${file}.${randomBytes(6).toString('hex')}.part`;
  try {
    await pipeline(body, createWriteStream(temp));
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
