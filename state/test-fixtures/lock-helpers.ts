import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import type { StateBackend } from '../../core/stores.js';

/** Holds `key` until `let()` is called. */
export function hold(backend: StateBackend, key: string, options?: { ttlMs?: number }) {
  let let_: () => void = () => undefined;
  let entered: () => void = () => undefined;
  const enteredPromise = new Promise<void>((resolve) => (entered = resolve));
  const released = new Promise<void>((resolve) => (let_ = resolve));
  const done = backend.locks
    .withLock(
      key,
      async () => {
        entered();
        await released;
      },
      { ...options, waitMs: 5_000 },
    )
    .catch(() => undefined);
  return { entered: enteredPromise, let: () => let_(), done };
}

/** Each critical section's start is followed by its own end: nothing ran in between. */
export function expectNoInterleaving(log: string[], sections: number): void {
  expect(log).toHaveLength(sections * 2);
  for (let i = 0; i < log.length; i += 2) {
    const start = log[i] ?? '';
    expect(start.startsWith('start ')).toBe(true);
    expect(log[i + 1]).toBe(start.replace('start ', 'end '));
  }
}

export async function until(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await sleep(5);
  }
}
