import { setTimeout as delay } from 'node:timers/promises';

/** Milliseconds since the epoch. Injected so tests run on a fake clock. */
export type Now = () => number;

/**
 * Waits `ms`. Resolves early — or rejects, it does not matter which — when `signal` aborts: the action
 * waiter cuts a long sleep short when a newcomer is due sooner. Injected so tests never really wait.
 */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

export const realSleep: Sleep = (ms, signal) => delay(ms, undefined, signal ? { signal } : undefined);
