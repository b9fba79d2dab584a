import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A request as the fake received it. `path` has no /v1 prefix and no query. */
export interface ReceivedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** The raw query string, as sent (to check encoding). */
  rawQuery: string;
  body: unknown;
  headers: IncomingHttpHeaders;
}

/** What the fake does with one request. */
export type Reply =
  | { status: number; body?: unknown; headers?: Record<string, string>; rawBody?: string }
  /** Reads the request, then closes the connection without answering: the client cannot know what happened. */
  | { drop: true }
  /** Never answers (until the test closes the fake): the client's request timeout fires. */
  | { hang: true };

export type Handler = (request: ReceivedRequest) => Reply | Promise<Reply>;

/**
 * A scripted Hetzner API on 127.0.0.1 (ephemeral port): routes answer by method and path
 * pattern (`/servers/:id`), each a handler or a queue of replies used one per request (the last
 * repeats). Unrouted requests get Hetzner's 404 envelope and are listed in `unrouted`.
 */
export class FakeHetzner {
  readonly requests: ReceivedRequest[] = [];
  readonly unrouted: ReceivedRequest[] = [];
  private readonly routes: Array<{ method: string; pattern: RegExp; handler: Handler }> = [];
  /** Answers what no route matches, when set. */
  fallback: Handler | undefined;
  private readonly server: Server;
  private readonly hanging = new Set<() => void>();
  private port = 0;

  private constructor() {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        void (async () => {
          const url = new URL(req.url ?? '/', 'http://127.0.0.1');
          const text = Buffer.concat(chunks).toString('utf8');
          const received: ReceivedRequest = {
            method: req.method ?? 'GET',
            path: url.pathname.replace(/^\/v1(?=\/)/, ''),
            query: url.searchParams,
            rawQuery: url.search.replace(/^\?/, ''),
            body: text ? (JSON.parse(text) as unknown) : undefined,
            headers: req.headers,
          };
          this.requests.push(received);
          const route = this.routes.find((r) => r.method === received.method && r.pattern.test(received.path));
          const handler = route?.handler ?? this.fallback;
          if (!handler) this.unrouted.push(received);
          const reply: Reply = handler
            ? await handler(received)
            : {
                status: 404,
                body: {
                  error: {
                    code: 'not_found',
                    message: `no route for ${received.method} ${received.path}`,
                    details: {},
                  },
                },
              };
          if ('drop' in reply) {
            req.socket.destroy();
            return;
          }
          if ('hang' in reply) {
            this.hanging.add(() => req.socket.destroy());
            return;
          }
          const payload = reply.rawBody ?? (reply.body === undefined ? '' : JSON.stringify(reply.body));
          res.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
          res.end(payload);
        })();
      });
    });
  }

  static async start(): Promise<FakeHetzner> {
    const fake = new FakeHetzner();
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  /** The endpoint to give the client. */
  get url(): string {
    return `http://127.0.0.1:${this.port}/v1`;
  }

  /** Answers `method path` (`:name` segments match one segment) with a handler or a queue of replies. */
  on(method: string, path: string, replies: Handler | Reply | Reply[]): this {
    const pattern = new RegExp(`^${path.replace(/:[a-z_]+/g, '[^/]+')}$`);
    let handler: Handler;
    if (typeof replies === 'function') handler = replies;
    else {
      const queue = Array.isArray(replies) ? [...replies] : [replies];
      handler = () => (queue.length > 1 ? queue.shift()! : queue[0]!);
    }
    // Later routes win, so a test can override a default.
    this.routes.unshift({ method, pattern, handler });
    return this;
  }

  /** Requests received for `method path` (exact path, no query). */
  calls(method: string, path: string): ReceivedRequest[] {
    return this.requests.filter((r) => r.method === method && r.path === path);
  }

  async close(): Promise<void> {
    for (const destroy of this.hanging) destroy();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** An error envelope reply, as Hetzner sends it. */
export function apiError(
  status: number,
  code: string,
  message = code,
  details: Record<string, unknown> = {},
  headers?: Record<string, string>,
): Reply {
  return { status, body: { error: { code, message, details } }, ...(headers ? { headers } : {}) };
}
