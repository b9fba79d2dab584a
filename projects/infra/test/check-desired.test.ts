// infra:check holds the rendered resources to Hetzner's limits with the cluster library's own rules,
// so it cannot call a render "within Hetzner's limits" that validation would refuse.
import { describe, expect, it } from 'vitest';
import { desiredResources, type DesiredServer } from '@personal-cloud/cluster';
import { checkDesired } from '../src/reconcile/check-desired';
import { configFor, desiredFor, SECRETS } from './fixtures';

/** The seed's phase-4 render with `n` volumes on every worker, built past validation (which refuses 17 first) to prove the check holds on its own. */
function withVolumesPerWorker(n: number) {
  const config = configFor();
  config.pools[1]!.volumes = Array.from({ length: n }, (_, i) => ({
    name: `v${i}`,
    sizeGb: 10,
    fromPhase: 1,
    format: 'ext4' as const,
  }));
  return desiredResources(config, SECRETS, 4);
}

describe('infra:check', () => {
  it('passes the seed render', () => {
    expect(checkDesired(desiredFor(4))).toEqual([]);
  });

  it('refuses a server with 17 volumes: Hetzner attaches at most 16', () => {
    const resources = withVolumesPerWorker(17);
    const server = resources.find((r): r is DesiredServer => r.type === 'server' && r.volumes.length > 0)!;
    expect(checkDesired(resources)).toContain(
      `server ${server.name}: 17 volumes on one server; Hetzner attaches at most 16 to a server`,
    );
  });

  it('allows exactly 16', () => {
    expect(checkDesired(withVolumesPerWorker(16))).toEqual([]);
  });
});
