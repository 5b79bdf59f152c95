/**
 * Local waiters for Redis locks, woken when any server releases the key (the release
 * script publishes on one channel per prefix). A missed message only costs latency:
 * waiters also poll with backoff, which is also how they notice a dead holder's expiry.
 */
export class LockWakeups {
  private readonly waiters = new Map<string, Set<() => void>>();

  /** Start listening before trying the lock, so a release in between is not missed. */
  arm(lockKey: string): { wait(ms: number): Promise<void>; disarm(): void } {
    let wake: () => void = () => undefined;
    let woken = false;
    const signal = (): void => {
      woken = true;
      wake();
    };
    let set = this.waiters.get(lockKey);
    if (set === undefined) {
      set = new Set();
      this.waiters.set(lockKey, set);
    }
    set.add(signal);
    const disarm = (): void => {
      const current = this.waiters.get(lockKey);
      current?.delete(signal);
      if (current?.size === 0) this.waiters.delete(lockKey);
    };
    return {
      wait: (ms) =>
        new Promise<void>((resolve) => {
          if (woken) return resolve();
          const timer = setTimeout(resolve, ms).unref();
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        }),
      disarm,
    };
  }

  wake(lockKey: string): void {
    for (const signal of this.waiters.get(lockKey) ?? []) signal();
  }

  clear(): void {
    for (const set of this.waiters.values()) for (const signal of set) signal();
    this.waiters.clear();
  }
}
