// The Hetzner API as a function from requests to answers, with no sockets: authentication, the
// rate limit, injected faults, routing, lazy settling of actions, and persistence before the answer.
import { FaultInjector, noFaults, type FaultConfig } from './faults';
import { ApiError } from './http/api-error';
import type { ApiResult, Handler } from './http/handler';
import { Router } from './http/router';
import { RateLimiter, type RateLimit } from './rate-limiter';
import { actionRoutes } from './resources/actions';
import { datacenterRoutes } from './resources/datacenters';
import { firewallRoutes } from './resources/firewalls';
import { imageRoutes } from './resources/images';
import { locationRoutes } from './resources/locations';
import { networkRoutes } from './resources/networks';
import { placementGroupRoutes } from './resources/placement-groups';
import { pricingRoutes } from './resources/pricing';
import { primaryIpRoutes } from './resources/primary-ips';
import { serverActionRoutes } from './resources/server-actions';
import { serverTypeRoutes } from './resources/server-types';
import { serverRoutes } from './resources/servers';
import { sshKeyRoutes } from './resources/ssh-keys';
import { volumeRoutes } from './resources/volumes';
import { StatsRecorder, type SandboxStats } from './stats';
import { runningByResource, settleActions } from './world/actions';
import type { WorldContext } from './world/context';
import type { WorldStore } from './world/persistence';
import { buildRelations, type Relations } from './world/relations';
import { emptyWorld, type ActionRecord, type World } from './world/world';

export interface ApiCall {
  method: string;
  /** The full URL, path starting with /v1. */
  url: URL;
  authorization: string | undefined;
  /** The raw request body; empty when there was none. */
  body: string;
}

export interface ApiAnswer {
  status: number;
  headers: Record<string, string>;
  /** Undefined for 204. */
  body: unknown;
  /** The parsed request body, for the exchange hook. */
  requestBody: unknown;
  /** Drop the connection instead of answering (the `reset` fault). */
  drop: boolean;
}

export interface HetznerApiOptions {
  store: WorldStore | undefined;
  actionMs: number;
  /** The project's server limit (Hetzner sets one per project); creating past it is 403 resource_limit_exceeded. */
  serverLimit: number;
  faults: FaultConfig;
  rateLimit: RateLimit;
  clock: () => number;
}

const TOKEN = /^Bearer ([^\s]{64})$/;

function buildRouter(): Router<Handler> {
  const router = new Router<Handler>();
  for (const add of [
    serverRoutes,
    serverActionRoutes,
    serverTypeRoutes,
    imageRoutes,
    locationRoutes,
    datacenterRoutes,
    networkRoutes,
    firewallRoutes,
    volumeRoutes,
    sshKeyRoutes,
    placementGroupRoutes,
    primaryIpRoutes,
    actionRoutes,
    pricingRoutes,
  ])
    add(router);
  return router;
}

export class HetznerApi {
  private world: World;
  private readonly router = buildRouter();
  private readonly statsRecorder = new StatsRecorder();
  private limiter: RateLimiter;
  private faults: FaultInjector;

  constructor(private readonly options: HetznerApiOptions) {
    this.world = options.store ? options.store.load() : emptyWorld();
    this.limiter = new RateLimiter(options.rateLimit);
    this.faults = new FaultInjector(options.faults);
  }

  stats(): SandboxStats {
    return this.statsRecorder.snapshot();
  }

  /** Empties the world (persisting the empty one), the stats and the rate-limit buckets. */
  reset(): void {
    this.world = emptyWorld();
    this.options.store?.save(this.world);
    this.statsRecorder.reset();
    this.limiter.reset();
  }

  setFaults(config: FaultConfig = noFaults()): void {
    this.faults = new FaultInjector(config);
  }

  /** A server's settled power state, for the machine model: an off or deleted server does not answer. */
  serverPower(id: number): 'running' | 'off' | 'absent' {
    const server = this.world.servers[String(id)];
    if (!server) return 'absent';
    // A server being deleted is gone for whatever ran on it, though the API still lists it.
    const deleting = this.world.running.some((actionId) => {
      const action = this.world.actions[String(actionId)];
      return action?.command === 'delete_server' && action.resources.some((r) => r.type === 'server' && r.id === id);
    });
    return deleting ? 'absent' : server.status;
  }

  /** Route templates, e.g. for documentation and tests. */
  routes(): { method: string; template: string }[] {
    return this.router.templates();
  }

  handle(call: ApiCall): ApiAnswer {
    const now = this.options.clock();
    const path = call.url.pathname.replace(/^\/v1(?=\/|$)/, '') || '/';
    const match = this.router.match(call.method, path);
    this.statsRecorder.request(call.method, match.kind === 'missing' ? path : match.template);

    const token = TOKEN.exec(call.authorization ?? '')?.[1];
    if (!token)
      return this.error(
        new ApiError(401, 'unauthorized', 'unable to authenticate: send "Authorization: Bearer <64-character token>"'),
        {},
      );
    const limit = this.limiter.take(token, now);
    const headers: Record<string, string> = {
      'RateLimit-Limit': String(limit.limit),
      'RateLimit-Remaining': String(limit.remaining),
      'RateLimit-Reset': String(limit.reset),
    };
    if (!limit.allowed)
      return this.error(new ApiError(429, 'rate_limit_exceeded', 'limit of requests per hour reached'), headers);

    const fault = this.faults.requestFault();
    if (fault) {
      this.statsRecorder.fault(fault);
      if (fault === 'rate_limit') {
        // An injected 429 says the next request is a second away, so clients back off briefly.
        headers['RateLimit-Remaining'] = '0';
        headers['RateLimit-Reset'] = String(Math.ceil(now / 1000) + 1);
        return this.error(new ApiError(429, 'rate_limit_exceeded', 'limit of requests per hour reached'), headers);
      }
      if (fault === 'server_error')
        return this.error(new ApiError(500, 'server_error', 'an internal error occurred (injected)'), headers);
      return this.error(new ApiError(503, 'unavailable', 'the service is currently unavailable (injected)'), headers);
    }

    let requestBody: unknown;
    if (call.body.trim() !== '') {
      try {
        requestBody = JSON.parse(call.body);
      } catch (error) {
        return this.error(
          new ApiError(400, 'json_error', `the request body is not valid JSON: ${(error as Error).message}`),
          headers,
        );
      }
    }
    if (match.kind === 'missing')
      return this.error(
        new ApiError(404, 'not_found', `${call.method} ${path} is not an endpoint of this API`),
        headers,
        requestBody,
      );
    if (match.kind === 'wrong_method')
      return this.error(
        new ApiError(
          405,
          'method_not_allowed',
          `${call.method} is not allowed on ${match.template}; use ${match.allowed.join(' or ')}`,
        ),
        headers,
        requestBody,
      );

    let dirty = settleActions(this.world, now);
    // Handlers check everything before they change anything, so a refused request changes nothing.
    let changedByHandler = false;
    const context = this.context(now, () => {
      changedByHandler = true;
    });
    let result: ApiResult;
    try {
      result = match.handler(
        { method: call.method, url: call.url, params: match.params, query: call.url.searchParams, body: requestBody },
        context,
      );
    } catch (error) {
      if (dirty || changedByHandler) this.options.store?.save(this.world);
      if (error instanceof ApiError) return this.error(error, headers, requestBody);
      console.error('sandbox: handler failed', error);
      return this.error(
        new ApiError(500, 'server_error', `internal error: ${(error as Error).message}`),
        headers,
        requestBody,
      );
    }
    dirty ||= changedByHandler;
    if (dirty) this.options.store?.save(this.world);
    const drop = this.faults.dropsConnection();
    if (drop) this.statsRecorder.fault('reset');
    return {
      status: result.status,
      headers: { ...headers, ...(result.headers ?? {}) },
      body: result.body,
      requestBody,
      drop,
    };
  }

  private context(now: number, onChange: () => void): WorldContext {
    let relations: Relations | undefined;
    let running: Map<string, ActionRecord[]> | undefined;
    const world = this.world;
    return {
      world,
      now,
      actionMs: this.options.actionMs,
      serverLimit: this.options.serverLimit,
      changed: () => {
        relations = undefined;
        running = undefined;
        onChange();
      },
      relations: () => (relations ??= buildRelations(world)),
      running: () => (running ??= runningByResource(world)),
      planFailure: () => {
        if (!this.faults.actionFails()) return null;
        this.statsRecorder.fault('action_error');
        return { code: 'action_failed', message: 'the action failed (injected fault)' };
      },
    };
  }

  private error(error: ApiError, headers: Record<string, string>, requestBody?: unknown): ApiAnswer {
    return { status: error.status, headers, body: error.body(), requestBody, drop: false };
  }
}
