// What a resource handler sees and returns: no sockets, no headers beyond its own, so every
// handler is a plain function of (request, world) that tests can reason about.
import type { WorldContext } from '../world/context';

export interface ApiRequest {
  method: string;
  /** The full request URL, from which list responses build their Link headers. */
  url: URL;
  params: Record<string, string>;
  query: URLSearchParams;
  /** The parsed JSON body; undefined when the request had none. */
  body: unknown;
}

export interface ApiResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (request: ApiRequest, context: WorldContext) => ApiResult;
