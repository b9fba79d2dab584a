import { afterEach, beforeEach } from 'vitest';
import { HcloudClient, type HcloudClientOptions } from '../../../src/hcloud/client';
import { FakeHetzner } from './fake-hetzner';

/**
 * A fresh fake Hetzner and a client on it for every test of the calling file. The client's sleeps
 * return at once (and are recorded), so retries cost no time.
 */
export function useFakeHetzner(options: Partial<HcloudClientOptions> = {}) {
  const state = {} as { fake: FakeHetzner; client: HcloudClient; sleeps: number[] };
  beforeEach(async () => {
    state.fake = await FakeHetzner.start();
    state.sleeps = [];
    state.client = new HcloudClient({
      endpoint: state.fake.url,
      token: 'h'.repeat(64),
      random: () => 0.5,
      sleep: async (ms) => {
        state.sleeps.push(ms);
      },
      ...options,
    });
  });
  afterEach(async () => {
    await state.fake.close();
  });
  return state;
}
