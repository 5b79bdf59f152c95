import type { DeliveryFailure } from '../core/channel.js';

/** How outbound delivery retries. */
export interface DeliveryPolicy {
  /** Attempts (sends started) before a message that keeps failing is given up. */
  maxAttempts: number;
  /** First backoff after a 5xx or a refused connection; doubles per attempt, with jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * A claim older than this belongs to a worker that died mid-send. Longer than any sender's
   * own request timeout; also the delivery job's expiry, so the job's retry finds it stale.
   */
  leaseSeconds: number;
  /** Messages one job sends before it hands the conversation to a fresh job, so one busy conversation cannot hold a worker. */
  messagesPerJob: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 8,
  baseDelayMs: 1000,
  maxDelayMs: 5 * 60 * 1000,
  leaseSeconds: 120,
  messagesPerJob: 20,
};

/**
 * When to try again after `failure` on attempt `attempt` (1-based). A provider's Retry-After is
 * honoured as given; otherwise exponential backoff with equal jitter, so that many messages
 * refused at once do not come back at once.
 */
export function retryDelayMs(policy: DeliveryPolicy, failure: DeliveryFailure, attempt: number, random: () => number = Math.random): number {
  if (failure.kind === 'rate_limited' && failure.retryAfterMs !== null) return Math.max(0, failure.retryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  return ceiling / 2 + (random() * ceiling) / 2;
}
