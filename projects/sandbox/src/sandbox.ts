// The sandbox as an HTTP service on loopback: /v1 is the Hetzner API, /__sandbox holds the
// sandbox's own stats and reset (never faulted, never rate limited) and the machine model
// (/__sandbox/machines…, /__sandbox/journal).
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseFaults } from './faults';
import { HetznerApi, type ApiAnswer } from './hetzner-api';
import { sandboxOptionsFromEnv, type Exchange, type SandboxOptions } from './options';
import { ClusterApiModel } from './cluster-api/cluster-api-model';
import { serveClusterRequest } from './cluster-api/cluster-api-http';
import { serveMachineRequest } from './machines/machine-http';
import { parseMachineDurations } from './machines/machine-durations';
import { MachineModel } from './machines/machine-model';
import { HETZNER_RATE_LIMIT } from './rate-limiter';
import { busyMessage, claimDirectory, liveServeRecord } from './serve-record';
import type { SandboxStats } from './stats';
import { WorldStore } from './world/persistence';

export interface RunningSandbox {
  /** http://127.0.0.1:PORT/v1 */
  url: string;
  port: number;
  /** The same data as GET /__sandbox/stats. */
  stats(): SandboxStats;
  reset(): void;
  /** Changes fault injection at run time (SANDBOX_FAULTS syntax; '' for none), API and machines alike. */
  setFaults(faults: string): void;
  /** The machine model: what runs on each server, etcd, the journal. */
  machines: MachineModel;
  /** The cluster's API side (Flux, Secrets, Kustomizations) and the GitOps remote, journaled with the machines. */
  cluster: ClusterApiModel;
  stop(): Promise<void>;
}

function defined<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<RunningSandbox> {
  const resolved = { ...sandboxOptionsFromEnv(process.env), ...defined(options) };
  const host = resolved.host ?? '127.0.0.1';
  const dir = resolved.dir ?? null;
  const faults = parseFaults(resolved.faults);
  if (dir) {
    const live = await liveServeRecord(dir);
    if (live) throw new Error(busyMessage(dir, live));
  }
  const api = new HetznerApi({
    store: dir ? new WorldStore(dir) : undefined,
    actionMs: resolved.actionMs ?? 50,
    serverLimit: resolved.serverLimit ?? Infinity,
    faults,
    rateLimit: resolved.rateLimit ?? HETZNER_RATE_LIMIT,
    clock: resolved.clock ?? Date.now,
  });
  const machines = new MachineModel({
    dir,
    clock: resolved.clock ?? Date.now,
    durations: parseMachineDurations(resolved.machineMs),
    faults,
    serverPower: (id) => api.serverPower(id),
  });
  const cluster = new ClusterApiModel(machines, dir, resolved.clock ?? Date.now);
  const onExchange = resolved.onExchange;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const failed = (error: unknown) => {
        console.error('sandbox: request failed', error);
        if (!res.headersSent)
          send(res, 500, {}, { error: { code: 'server_error', message: 'internal error', details: {} } });
      };
      try {
        serve(req, res, Buffer.concat(chunks).toString('utf8'))?.catch(failed);
      } catch (error) {
        failed(error);
      }
    });
  });

  const serve = (req: IncomingMessage, res: ServerResponse, body: string): Promise<void> | void => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', `http://${req.headers.host ?? host}`);
    if (url.pathname === '/__sandbox/stats' && method === 'GET') return send(res, 200, {}, api.stats());
    if (url.pathname === '/__sandbox/reset' && method === 'POST') {
      api.reset();
      machines.reset();
      return send(res, 200, {}, { reset: true });
    }
    const machineAnswer = serveMachineRequest(machines, method, url.pathname, body);
    if (machineAnswer) return send(res, machineAnswer.status, {}, machineAnswer.body);
    if (url.pathname === '/__sandbox/gitops' || url.pathname.startsWith('/__sandbox/cluster'))
      return serveClusterRequest(cluster, method, url.pathname, body).then((answer) =>
        answer
          ? send(res, answer.status, {}, answer.body)
          : send(res, 404, {}, { error: { code: 'not_found', message: `${method} ${url.pathname} is not served` } }),
      );
    if (url.pathname !== '/v1' && !url.pathname.startsWith('/v1/'))
      return send(
        res,
        404,
        {},
        {
          error: {
            code: 'not_found',
            message: `${url.pathname} is neither under /v1 nor a /__sandbox endpoint`,
            details: {},
          },
        },
      );
    const answer = api.handle({ method, url, authorization: req.headers.authorization, body });
    report(onExchange, method, url, answer);
    if (answer.drop) {
      // The request was processed and persisted; the client just never hears about it.
      req.socket.destroy();
      return;
    }
    send(res, answer.status, answer.headers, answer.body);
  };

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', reject);
    server.listen(resolved.port ?? 4646, host, () => {
      server.off('error', reject);
      resolvePromise();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}/v1`;
  const close = () =>
    new Promise<void>((resolvePromise) => {
      server.close(() => resolvePromise());
      server.closeAllConnections();
    });

  let release = () => {};
  if (dir) {
    try {
      release = await claimDirectory(dir, url);
    } catch (error) {
      await close();
      throw error;
    }
  }

  let stopped = false;
  return {
    url,
    port,
    stats: () => api.stats(),
    reset: () => {
      api.reset();
      machines.reset();
    },
    setFaults: (text) => {
      const config = parseFaults(text);
      api.setFaults(config);
      machines.setFaults(config);
    },
    machines,
    cluster,
    stop: async () => {
      if (stopped) return;
      stopped = true;
      await close();
      cluster.gitops.close();
      release();
    },
  };
}

function report(
  onExchange: ((exchange: Exchange) => void) | undefined,
  method: string,
  url: URL,
  answer: ApiAnswer,
): void {
  if (!onExchange) return;
  const exchange: Exchange = {
    method,
    path: url.pathname + url.search,
    status: answer.status,
    requestBody: answer.requestBody,
    responseBody: answer.body,
  };
  if (answer.drop) exchange.dropped = true;
  try {
    onExchange(exchange);
  } catch (error) {
    console.error('sandbox: the onExchange hook threw', error);
  }
}

function send(res: ServerResponse, status: number, headers: Record<string, string>, body: unknown): void {
  if (status === 204 || body === undefined) {
    res.writeHead(status, headers);
    res.end();
    return;
  }
  const text = JSON.stringify(body);
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}
