import { describe, expect, it } from 'vitest';
import { FaultInjector, parseFaults } from './faults';

describe('SANDBOX_FAULTS', () => {
  it('reads probabilities and the seed', () => {
    const config = parseFaults(
      'rate_limit=0.1,server_error=0.05,unavailable=0.05,action_error=0.05,reset=0.02,seed=42',
    );
    expect(config).toEqual({
      probabilities: {
        rate_limit: 0.1,
        server_error: 0.05,
        unavailable: 0.05,
        action_error: 0.05,
        reset: 0.02,
        install_error: 0,
        not_ready: 0,
        slow_member: 0,
      },
      seed: 42,
    });
    expect(parseFaults('install_error=0.3,not_ready=0.2,slow_member=0.1').probabilities).toMatchObject({
      install_error: 0.3,
      not_ready: 0.2,
      slow_member: 0.1,
    });
    expect(parseFaults('', 7)).toEqual({
      probabilities: {
        rate_limit: 0,
        server_error: 0,
        unavailable: 0,
        action_error: 0,
        reset: 0,
        install_error: 0,
        not_ready: 0,
        slow_member: 0,
      },
      seed: 7,
    });
  });

  it('names an unknown key and the allowed ones', () => {
    expect(() => parseFaults('timeout=0.1')).toThrow(
      'SANDBOX_FAULTS: unknown key "timeout"; allowed keys are rate_limit, server_error, unavailable, action_error, reset, install_error, not_ready, slow_member, seed',
    );
  });

  it.each([
    ['server_error=2'],
    ['server_error=-0.1'],
    ['server_error=x'],
    ['server_error'],
    ['seed=1.5'],
    ['reset=0.1,reset=0.2'],
    ['rate_limit=0.6,unavailable=0.6'],
  ])('refuses %j with a sentence', (text) => {
    expect(() => parseFaults(text)).toThrow(/^SANDBOX_FAULTS: /);
  });

  it('draws the same faults from the same seed', () => {
    const draws = (seed: number) => {
      const injector = new FaultInjector(parseFaults(`server_error=0.3,action_error=0.3,reset=0.3,seed=${seed}`));
      return Array.from({ length: 50 }, () => [
        injector.requestFault(),
        injector.actionFails(),
        injector.dropsConnection(),
      ]);
    };
    expect(draws(42)).toEqual(draws(42));
    expect(draws(42)).not.toEqual(draws(43));
  });

  it('draws nothing when no fault is configured', () => {
    const injector = new FaultInjector(parseFaults('seed=1'));
    for (let i = 0; i < 100; i++)
      expect([injector.requestFault(), injector.actionFails(), injector.dropsConnection()]).toEqual([
        undefined,
        false,
        false,
      ]);
  });
});
