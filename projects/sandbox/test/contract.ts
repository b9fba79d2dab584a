// Contract checks over recorded exchanges, for this project's tests and for any other project that
// runs its client against the sandbox: record with `recordExchanges()` (pass `onExchange` to
// startSandbox), then `expectContract(recorder.exchanges)` or `describeContract(recorder)` last in a file.
import { expect, it } from 'vitest';
import { describeWithFile } from '../../../tools/test-support/external-tools';
import { loadContract } from '../../../tools/test-support/openapi-contract';
import { openapiSpecPath } from '../../../tools/test-support/openapi-spec';
import type { Exchange } from '../src/options';

export interface ExchangeRecorder {
  readonly exchanges: Exchange[];
  onExchange(exchange: Exchange): void;
  clear(): void;
}

export function recordExchanges(): ExchangeRecorder {
  const exchanges: Exchange[] = [];
  return {
    exchanges,
    onExchange: (exchange) => void exchanges.push(exchange),
    clear: () => void exchanges.splice(0),
  };
}

export interface ContractOptions {
  /** Also check the request bodies of successful exchanges (what a client sent). */
  requests?: boolean;
}

/** Paths that are no Hetzner operation may only be answered with the API's own 404 or 405. */
function unknownEndpointProblem(exchange: Exchange): string[] {
  const code = (exchange.responseBody as { error?: { code?: unknown } } | undefined)?.error?.code;
  const ok =
    (exchange.status === 404 && code === 'not_found') || (exchange.status === 405 && code === 'method_not_allowed');
  return ok
    ? []
    : [
        `${exchange.method} ${exchange.path} is not an operation of the Hetzner API, yet answered ${exchange.status} ${String(code)}`,
      ];
}

/** Every problem of every exchange, each prefixed with its request; empty when all match the spec. */
export function contractProblems(exchanges: readonly Exchange[], options: ContractOptions = {}): string[] {
  const contract = loadContract(openapiSpecPath());
  return exchanges.flatMap((exchange) => {
    const where = `${exchange.method} ${exchange.path} → ${exchange.status}`;
    if (!contract.operation(exchange.method, exchange.path))
      return unknownEndpointProblem(exchange).map((p) => `${where}: ${p}`);
    const problems = contract.checkResponse(exchange.method, exchange.path, exchange.status, exchange.responseBody);
    if (options.requests && exchange.status < 400 && exchange.requestBody !== undefined)
      problems.push(...contract.checkRequest(exchange.method, exchange.path, exchange.requestBody));
    return problems.map((p) => `${where}: ${p}`);
  });
}

export function expectContract(exchanges: readonly Exchange[], options: ContractOptions = {}): void {
  expect(contractProblems(exchanges, options)).toEqual([]);
}

/**
 * Registers a test, where it is called (so: last in a file), that every exchange recorded by then
 * matches Hetzner's OpenAPI spec; skipped with the reason when the spec is absent.
 */
export function describeContract(recorder: ExchangeRecorder, options: ContractOptions = {}): void {
  describeWithFile(openapiSpecPath(), 'the Hetzner OpenAPI contract', () => {
    it('holds for every exchange recorded in this file', () => {
      expect(recorder.exchanges.length).toBeGreaterThan(0);
      expectContract(recorder.exchanges, options);
    });
  });
}
