// What the plan checks and says beyond the steps, pure: the schedule's lower bound (the run's
// expected length), the Tailscale key against it, and a control-plane type at k3s's minimum.
import { describe, expect, it } from 'vitest';
import { nodesInPhase } from '@personal-cloud/cluster';
import { nodeGeneration } from '../src/plan/node-generation';
import { planHosts } from '../src/plan/plan-hosts';
import { scheduleLowerBound } from '../src/plan/schedule-bound';
import { serverMinimumNotices } from '../src/plan/server-minimum';
import { checkTailscaleKey } from '../src/plan/tailscale-key';
import { configAt, renderAt } from './fixtures';

const UNITS = { install: 3, rebuild: 1, ready: 0, probe: 0 };

describe('scheduleLowerBound', () => {
  it('phase 4 from empty: 3 (master-1) + 3 (two joining together) + 9 (five workers, two at a time)', () => {
    const document = renderAt(4);
    const generations = Object.fromEntries(
      Object.values(document.nodes).map((n) => [n.name, nodeGeneration(document, n, 'nix')]),
    );
    const plan = planHosts({ document, generations, state: { k3sServers: [], deployed: {} }, maxParallel: 2 });
    expect(scheduleLowerBound(plan, UNITS)).toBe(15);
    expect(scheduleLowerBound(plan, { ...UNITS, ready: 1 })).toBe(20);
    expect(scheduleLowerBound({ ...plan, waves: plan.waves.map((w) => ({ ...w, concurrency: 5 })) }, UNITS)).toBe(9);
  });
});

describe('checkTailscaleKey', () => {
  const now = Date.parse('2026-12-02T08:00:00Z');
  const hour = 3_600_000;
  const check = (tokens: Record<string, string>, installs = 2, runMs = 2 * hour) =>
    checkTailscaleKey({ enabled: true, tokens, now, runMs, installs });

  it('refuses a key that expires before the run ends, or has expired, naming the date', () => {
    const key = { TAILSCALE_AUTH_KEY: 'tskey-auth-k123' };
    expect(check({ ...key, TAILSCALE_AUTH_KEY_EXPIRES: '2026-12-02T09:30:00Z' }).refusal).toBe(
      "the Tailscale auth key (TAILSCALE_AUTH_KEY) expires on 2026-12-02T09:30:00Z, before this run's 2 install(s) end (about 120 min from now): make a new one (reusable, with the cluster's tags) and put it and its date in TAILSCALE_AUTH_KEY and TAILSCALE_AUTH_KEY_EXPIRES with `npm run state -- edit tokens`, or use an OAuth client secret (tskey-client-…), which does not expire",
    );
    expect(check({ ...key, TAILSCALE_AUTH_KEY_EXPIRES: '2026-12-01' }).refusal).toMatch(
      /^the Tailscale auth key \(TAILSCALE_AUTH_KEY\) expired on 2026-12-01: make a new one/,
    );
    expect(check({ ...key, TAILSCALE_AUTH_KEY_EXPIRES: '2026-12-02T10:30:00Z' })).toEqual({
      refusal: null,
      notice: 'Tailscale: the auth key expires on 2026-12-02T10:30:00Z; in 2 hour(s).',
    });
    expect(check({ ...key, TAILSCALE_AUTH_KEY_EXPIRES: '2026-12-12' }).notice).toBe(
      'Tailscale: the auth key expires on 2026-12-12; in 9 days.',
    );
    expect(check({ ...key, TAILSCALE_AUTH_KEY_EXPIRES: '2027-02-01' })).toEqual({ refusal: null, notice: null });
    // A run that installs nothing does not deliver the key: it only says so.
    expect(check({ ...key, TAILSCALE_AUTH_KEY_EXPIRES: '2026-12-01' }, 0)).toEqual({
      refusal: null,
      notice: 'Tailscale: the auth key expired on 2026-12-01; the next install needs a new one.',
    });
  });

  it('refuses an auth key of unknown expiry or no key at all when the run installs; an OAuth client does not expire', () => {
    expect(check({ TAILSCALE_AUTH_KEY: 'tskey-auth-k123' }).refusal).toMatch(
      /^TAILSCALE_AUTH_KEY is a Tailscale auth key, which expires \(at most 90 days after it was made\), and the vault's tokens do not say when: add TAILSCALE_AUTH_KEY_EXPIRES/,
    );
    expect(check({}).refusal).toMatch(
      /^the vault's tokens lack TAILSCALE_AUTH_KEY, which the 2 node\(s\) this run installs need/,
    );
    expect(check({}, 0)).toEqual({ refusal: null, notice: null });
    expect(check({ TAILSCALE_AUTH_KEY: 'tskey-client-k123', TAILSCALE_AUTH_KEY_EXPIRES: '2026-01-01' })).toEqual({
      refusal: null,
      notice:
        'Tailscale: TAILSCALE_AUTH_KEY is an OAuth client secret, which does not expire; each install mints its own key with it.',
    });
    expect(checkTailscaleKey({ enabled: false, tokens: {}, now, runMs: hour, installs: 3 }).refusal).toBeNull();
  });
});

describe('serverMinimumNotices', () => {
  it("names the seed's CPX11 servers as at k3s's minimum; larger types and phase 1's CCX23 say nothing", () => {
    expect(serverMinimumNotices(nodesInPhase(configAt(2)))).toEqual([
      "master-1, master-2, master-3 run on CPX11 (2 vCPU, 2 GB), at k3s's documented minimum for a server (2 cores, 2 GB RAM): etcd and the API server have little headroom; a larger control-plane type gives them room.",
    ]);
    expect(serverMinimumNotices(nodesInPhase(configAt(1)))).toEqual([]);
    expect(serverMinimumNotices(nodesInPhase(configAt(2, (c) => (c.pools[0].serverType = 'cpx21'))))).toEqual([]);
    expect(serverMinimumNotices(nodesInPhase(configAt(2, (c) => (c.pools[0].serverType = 'cpx12'))))[0]).toContain(
      'run on CPX12 (1 vCPU, 2 GB), below k3s',
    );
  });
});
