import { describe, expect, it } from 'vitest';
import { pricing } from '../../../test/support/hcloud/fixtures';
import { useFakeHetzner } from '../../../test/support/hcloud/harness';
import * as prices from './pricing';

const api = useFakeHetzner();

describe('pricing', () => {
  it('gets the project’s prices in one request', async () => {
    api.fake.on('GET', '/pricing', { status: 200, body: { pricing: pricing() } });
    const answer = await prices.get(api.client);
    expect(answer.currency).toBe('EUR');
    expect(answer.server_types[0]?.prices[0]?.price_monthly.gross).toBe('14.6200');
    expect(answer.volume.price_per_gb_month.net).toBe('0.0500');
    expect(api.fake.requests.map((r) => [r.method, r.path, r.rawQuery])).toEqual([['GET', '/pricing', '']]);
  });
});
