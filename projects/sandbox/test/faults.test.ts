// Injected faults: each kind, reproducible from a seed; failed actions leave a consistent world;
// a reset drops the connection after the request took effect.
import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { startSandbox } from '../src/index';
import { describeContract } from './contract';
import { type HetznerClient, TOKEN, sshPublicKey, useSandbox } from './sandbox-fixture';

const fixture = useSandbox({ actionMs: 5 });
const twin = useSandbox({ actionMs: 5 });

/** A POST over a fresh connection that reports a dropped connection instead of throwing. */
function rawPost(url: string, body: unknown): Promise<{ status: number } | { dropped: string }> {
  return new Promise((resolvePromise) => {
    const req = request(
      url,
      {
        method: 'POST',
        agent: false,
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolvePromise({ status: res.statusCode ?? 0 }));
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => resolvePromise({ dropped: error.code ?? error.message }));
    req.end(JSON.stringify(body));
  });
}

describe('request faults', () => {
  it('server_error, unavailable and rate_limit fail the request before anything happens', async () => {
    const { sandbox, api } = fixture;
    for (const [fault, status, code] of [
      ['server_error', 500, 'server_error'],
      ['unavailable', 503, 'unavailable'],
      ['rate_limit', 429, 'rate_limit_exceeded'],
    ] as const) {
      sandbox.setFaults(`${fault}=1,seed=3`);
      const answer = await api.post('/networks', { name: `n-${fault}`, ip_range: '10.0.0.0/16' });
      expect(answer.status).toBe(status);
      expect(answer.body.error.code).toBe(code);
      if (fault === 'rate_limit') expect(answer.headers.get('ratelimit-remaining')).toBe('0');
      sandbox.setFaults('');
      expect((await api.get('/networks')).body.networks).toEqual([]);
    }
    expect(sandbox.stats().faults).toMatchObject({ server_error: 1, unavailable: 1, rate_limit: 1 });
  });

  it('never touches /__sandbox', async () => {
    const { sandbox } = fixture;
    sandbox.setFaults('server_error=1');
    const response = await fetch(sandbox.url.replace(/\/v1$/, '/__sandbox/stats'));
    expect(response.status).toBe(200);
    sandbox.setFaults('');
  });

  it('repeats itself from the same seed', async () => {
    const run = async (client: HetznerClient, faults: string) => {
      (client === fixture.api ? fixture : twin).sandbox.setFaults(faults);
      const statuses: number[] = [];
      for (let i = 0; i < 40; i++) statuses.push((await client.get('/locations')).status);
      return statuses;
    };
    const a = await run(fixture.api, 'rate_limit=0.1,server_error=0.2,unavailable=0.2,seed=42');
    const b = await run(twin.api, 'rate_limit=0.1,server_error=0.2,unavailable=0.2,seed=42');
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set([200, 429, 500, 503]));
    const c = await run(twin.api, 'rate_limit=0.1,server_error=0.2,unavailable=0.2,seed=43');
    expect(c).not.toEqual(a);
    fixture.sandbox.setFaults('');
    twin.sandbox.setFaults('');
  });
});

describe('action faults', () => {
  it('a failed create takes its server, addresses and attachments away again', async () => {
    const { sandbox, api } = fixture;
    const volume = await api.post('/volumes', { name: 'spare', size: 10, location: 'fsn1' });
    await api.waitForAction(volume.body.action.id);
    sandbox.setFaults('action_error=1,seed=5');
    const created = await api.post('/servers', {
      name: 'unlucky',
      server_type: 'cpx11',
      image: 'debian-12',
      location: 'fsn1',
      volumes: [volume.body.volume.id],
    });
    expect(created.status).toBe(201);
    sandbox.setFaults('');
    const failed = await api.waitForAction(created.body.action.id);
    expect(failed).toMatchObject({
      status: 'error',
      progress: 100,
      error: { code: 'action_failed', message: expect.any(String) },
    });
    expect(failed.finished).not.toBeNull();
    expect((await api.waitForAction(created.body.next_actions[0].id)).status).toBe('error');
    expect((await api.get(`/servers/${created.body.server.id}`)).status).toBe(404);
    expect((await api.get('/primary_ips')).body.primary_ips).toEqual([]);
    expect((await api.get(`/volumes/${volume.body.volume.id}`)).body.volume.server).toBeNull();
    // The name is free again once the create failed.
    expect((await api.createServer('unlucky')).name).toBe('unlucky');
  });

  it('a failed action changes nothing', async () => {
    const { sandbox, api } = fixture;
    const server = (await api.get('/servers?name=unlucky')).body.servers[0];
    sandbox.setFaults('action_error=1');
    const off = await api.post(`/servers/${server.id}/actions/poweroff`);
    const labels = await api.put(`/servers/${server.id}`, { labels: { still: 'works' } });
    sandbox.setFaults('');
    expect((await api.waitForAction(off.body.action.id)).status).toBe('error');
    expect((await api.get(`/servers/${server.id}`)).body.server).toMatchObject({
      status: 'running',
      labels: { still: 'works' },
    });
    expect(labels.status).toBe(200);
    expect(sandbox.stats().faults.action_error).toBe(2);
  });

  it('fails the same actions from the same seed', async () => {
    const outcomes = async (client: HetznerClient, which: typeof fixture) => {
      which.sandbox.reset();
      which.sandbox.setFaults('action_error=0.5,seed=11');
      const statuses: string[] = [];
      for (let i = 0; i < 12; i++) {
        const created = await client.post('/volumes', { name: `v${i}`, size: 10, location: 'hel1' });
        statuses.push((await client.waitForAction(created.body.action.id)).status);
      }
      which.sandbox.setFaults('');
      return statuses;
    };
    const a = await outcomes(fixture.api, fixture);
    const b = await outcomes(twin.api, twin);
    expect(a).toEqual(b);
    expect(new Set(a)).toEqual(new Set(['success', 'error']));
    const survivors = (await fixture.api.get('/volumes?per_page=50')).body.volumes.length;
    expect(survivors).toBe(a.filter((s) => s === 'success').length);
  });
});

describe('reset', () => {
  it('drops the connection after the request was processed and persisted', async () => {
    const { sandbox, api } = fixture;
    sandbox.setFaults('reset=1,seed=9');
    const outcome = await rawPost(`${sandbox.url}/ssh_keys`, { name: 'lost-answer', public_key: sshPublicKey() });
    expect(outcome).toHaveProperty('dropped');
    sandbox.setFaults('');
    expect((await api.get('/ssh_keys?name=lost-answer')).body.ssh_keys).toHaveLength(1);
    expect(sandbox.stats().faults.reset).toBe(1);
    const dropped = fixture.recorder.exchanges.filter((e) => e.dropped);
    expect(dropped.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['POST /v1/ssh_keys 201']);
  });
});

describe('configuration', () => {
  it('refuses an invalid fault string with the allowed keys', async () => {
    await expect(startSandbox({ port: 0, dir: null, faults: 'sever_error=0.1' })).rejects.toThrow(
      'allowed keys are rate_limit, server_error, unavailable, action_error, reset, install_error, not_ready, slow_member, seed',
    );
    expect(() => fixture.sandbox.setFaults('reset=2')).toThrow(
      'SANDBOX_FAULTS: reset must be a probability between 0 and 1',
    );
  });
});

describe('stats', () => {
  it('counts requests by method and path template, reads and writes, and resets with the world', async () => {
    const { sandbox, api } = twin;
    sandbox.reset();
    await api.get('/servers');
    await api.get('/servers');
    await api.get('/servers/12');
    const server = await api.createServer('counted');
    await api.post(`/servers/${server.id}/actions/attach_to_network`, { network: 1 });
    const stats = sandbox.stats();
    expect(stats.requests['GET /servers']).toBe(2);
    expect(stats.requests['GET /servers/{id}']).toBe(2);
    expect(stats.requests['POST /servers']).toBe(1);
    expect(stats.requests['POST /servers/{id}/actions/attach_to_network']).toBe(1);
    expect(stats.writes).toBe(2);
    expect(stats.reads).toBe(
      Object.entries(stats.requests)
        .filter(([k]) => k.startsWith('GET '))
        .reduce((n, [, v]) => n + v, 0),
    );
    const viaHttp = await (await fetch(sandbox.url.replace(/\/v1$/, '/__sandbox/stats'))).json();
    expect(viaHttp).toEqual(stats);

    const reset = await fetch(sandbox.url.replace(/\/v1$/, '/__sandbox/reset'), { method: 'POST' });
    expect(reset.status).toBe(200);
    expect(sandbox.stats()).toMatchObject({ requests: {}, reads: 0, writes: 0 });
    expect((await api.get('/servers')).body.servers).toEqual([]);
  });
});

describeContract(fixture.recorder);
describeContract(twin.recorder);
