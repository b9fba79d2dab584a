// A sandbox per test file (in memory, ephemeral port, every exchange recorded for the contract
// check) and a tiny Hetzner client to talk to it.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll } from 'vitest';
import { startSandbox, type RunningSandbox, type SandboxOptions } from '../src/index';
import { recordExchanges, type ExchangeRecorder } from './contract';

export const TOKEN = 'sandbox-test-token-'.padEnd(64, 'x');

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export class HetznerClient {
  constructor(
    readonly url: string,
    private readonly token: string = TOKEN,
  ) {}

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<Answer<T>> {
    const response = await fetch(this.url + path, {
      method,
      headers: {
        Authorization: `Bearer ${this.token}`,
        ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await response.text();
    return { status: response.status, headers: response.headers, body: (text ? JSON.parse(text) : undefined) as T };
  }

  get<T = any>(path: string) {
    return this.request<T>('GET', path);
  }
  post<T = any>(path: string, body?: unknown) {
    return this.request<T>('POST', path, body);
  }
  put<T = any>(path: string, body?: unknown) {
    return this.request<T>('PUT', path, body);
  }
  delete<T = any>(path: string) {
    return this.request<T>('DELETE', path);
  }

  /** Polls, as a client would, until the action is no longer running; returns it. One that never ends meets the test's timeout. */
  async waitForAction(id: number): Promise<any> {
    for (;;) {
      const { body } = await this.get(`/actions/${id}`);
      if (body.action.status !== 'running') return body.action;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Creates a server and waits for its actions; returns the server as the API shows it afterwards. */
  async createServer(name: string, extra: Record<string, unknown> = {}): Promise<any> {
    const created = await this.post('/servers', {
      name,
      server_type: 'cpx11',
      image: 'ubuntu-24.04',
      location: 'fsn1',
      ...extra,
    });
    if (created.status !== 201)
      throw new Error(`creating server ${name}: ${created.status} ${JSON.stringify(created.body)}`);
    for (const action of [created.body.action, ...created.body.next_actions]) await this.waitForAction(action.id);
    return (await this.get(`/servers/${created.body.server.id}`)).body.server;
  }
}

export interface SandboxFixture {
  readonly sandbox: RunningSandbox;
  readonly api: HetznerClient;
  readonly recorder: ExchangeRecorder;
}

/** Starts a sandbox before the file's tests and stops it after; exchanges go to `recorder`. */
export function useSandbox(options: SandboxOptions = {}): SandboxFixture {
  const recorder = recordExchanges();
  let sandbox: RunningSandbox | undefined;
  let api: HetznerClient | undefined;
  beforeAll(async () => {
    sandbox = await startSandbox({
      port: 0,
      dir: null,
      actionMs: 20,
      faults: '',
      onExchange: recorder.onExchange,
      ...options,
    });
    api = new HetznerClient(sandbox.url);
  });
  afterAll(async () => {
    await sandbox?.stop();
  });
  return {
    get sandbox() {
      return sandbox!;
    },
    get api() {
      return api!;
    },
    recorder,
  };
}

/** A fresh, real OpenSSH ed25519 public key line. */
export function sshPublicKey(comment = 'test@sandbox'): string {
  const raw = generateKeyPairSync('ed25519').publicKey.export({ format: 'der', type: 'spki' }).subarray(-32);
  const field = (data: Buffer) => Buffer.concat([Buffer.from([0, 0, 0, data.length]), data]);
  return `ssh-ed25519 ${Buffer.concat([field(Buffer.from('ssh-ed25519')), field(raw)]).toString('base64')} ${comment}`;
}
