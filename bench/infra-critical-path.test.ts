import { describe, expect, it } from 'vitest';
import { attributeActions, criticalPath, serialReference, type SandboxAction } from './infra-critical-path';

const S = 1000;
const action = (
  id: number,
  command: string,
  from: number,
  to: number,
  resources: [string, number][],
): SandboxAction => ({
  id,
  command,
  started: from * S,
  finished: to * S,
  resources: resources.map(([type, rid]) => ({ type, id: rid })),
});
const keys = new Map([
  ['volume:1', 'volume/data'],
  ['server:1', 'server/worker'],
  ['network:1', 'network/net'],
]);
// A worker: its volume (0–1), then create_server (1–2) with start_server beside it (1–3), then the
// network attachment (3–4), which Hetzner lists under the server and the network alike; the
// volume's protection is changed later, beside the server's work (2–3).
const actions = attributeActions(
  [
    action(1, 'create_volume', 0, 1, [['volume', 1]]),
    action(2, 'create_server', 1, 2, [['server', 1]]),
    action(3, 'start_server', 1, 3, [['server', 1]]),
    action(4, 'attach_to_network', 3, 4, [
      ['server', 1],
      ['network', 1],
    ]),
    action(5, 'change_protection', 2, 3, [['volume', 1]]),
  ],
  keys,
);
const dependencies = new Map([
  ['volume/data', []],
  ['network/net', []],
  ['server/worker', ['volume/data', 'network/net']],
]);

describe('the critical path and serial reference of an apply', () => {
  it('attributes a network attachment to the server, once', () => {
    expect(actions.filter((a) => a.command === 'attach_to_network').map((a) => a.key)).toEqual(['server/worker']);
  });

  it('chains actions only when one waited for the other', () => {
    const path = criticalPath(dependencies, actions);
    expect(path.chain.map((a) => a.command)).toEqual(['create_volume', 'start_server', 'attach_to_network']);
    expect(path.ms).toBe(4 * S);
  });

  it('sums each change’s distinct actions, overlaps once: no start_server on top of create_server', () => {
    // volume: 0–1 and 2–3 = 2 s; server: 1–3 and 3–4 = 3 s.
    expect(serialReference(actions)).toBe(5 * S);
  });
});
