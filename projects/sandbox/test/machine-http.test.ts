// The machine model through the sandbox's HTTP endpoint, with power read from the API's world:
// a server powered off through the Hetzner API stops answering machine steps.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type RunningSandbox } from '../src/index';
import { HetznerClient } from './sandbox-fixture';

let sandbox: RunningSandbox;
let api: HetznerClient;
beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, dir: null, actionMs: 0, faults: '', machineMs: 'install=0,ready=0' });
  api = new HetznerClient(sandbox.url);
});
afterAll(() => sandbox.stop());

const origin = () => sandbox.url.replace(/\/v1$/, '');
async function post(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(origin() + path, { method: 'POST', body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
}

describe('/__sandbox/machines', () => {
  it('answers steps on a server while it runs, and not once it is powered off through the API', async () => {
    const server = await api.createServer('demo-master-1');
    const args = { generation: 'g1', role: 'server', version: 'v1.34.1+k3s1', bootstrap: true, nodeIp: '10.0.1.10' };
    const installed = await post('/__sandbox/machines/steps', {
      step: 'install',
      node: 'master-1',
      serverId: server.id,
      args,
    });
    expect(installed).toMatchObject({
      status: 200,
      body: { outcome: 'ok', cluster: { members: [{ name: 'master-1', up: true }], quorum: true } },
    });

    const off = await api.post(`/servers/${server.id}/actions/poweroff`);
    await api.waitForAction(off.body.action.id);
    const probe = await post('/__sandbox/machines/steps', {
      step: 'probe',
      node: 'master-1',
      serverId: server.id,
      args: {},
    });
    expect(probe.body).toMatchObject({
      outcome: 'unreachable',
      message: `master-1 does not answer: server ${server.id} is powered off`,
      cluster: { quorum: false },
    });

    const journal = (await (await fetch(`${origin()}/__sandbox/journal`)).json()) as { entries: any[] };
    expect(journal.entries.map((e: any) => `${e.step} ${e.outcome}`)).toEqual(['install ok', 'probe unreachable']);
    expect(journal.entries[0].args).toEqual(args);
  });

  it('registers a machine outside Hetzner (Oxygen), and refuses a malformed step with a sentence', async () => {
    expect((await post('/__sandbox/machines/external', { name: 'oxygen', address: '100.64.0.7' })).status).toBe(200);
    const probe = await post('/__sandbox/machines/steps', { step: 'probe', node: 'oxygen', serverId: null, args: {} });
    expect(probe.body).toMatchObject({ outcome: 'ok', result: { generation: null } });
    const bad = await post('/__sandbox/machines/steps', {
      step: 'install',
      node: 'oxygen',
      serverId: null,
      args: { role: 'agent' },
    });
    expect(bad).toEqual({
      status: 400,
      body: {
        error: { code: 'invalid_input', message: 'install on oxygen: needs "generation" as a non-empty string' },
      },
    });
  });
});
