import { failpoint } from '../core/failpoints.js';
import { DeliveryError } from '../core/channel.js';
import { assertNever } from '../core/message.js';
import { NoTransportError, type NotificationErrorReason, type Notifier } from '../core/notifier.js';
import { effectKeyString, type ConversationEffects, type PendingEffect } from '../db/conversation-effects.js';
import type { OutboundNotifications } from '../db/outbound-notifications.js';
import type { ConversationEffectsData } from './conversation-effects-job.js';
import type { JobDefinition } from './job-definition.js';
import { JobFailure } from './job-failure.js';
import type { JobLogger, JobQueue } from './queue.js';

export interface EffectPolicy {
  /** How long a run may hold an effect before another worker takes it as orphaned. */
  leaseSeconds: number;
  /** Runs of one effect before it is failed for good. */
  maxAttempts: number;
  /** Effects run per job; the rest wait for the next nudge. */
  effectsPerJob: number;
  /** The first wait after a transport failure; it doubles with each retry of the job. */
  retryDelaySeconds: number;
}

export const DEFAULT_EFFECT_POLICY: EffectPolicy = { leaseSeconds: 60, maxAttempts: 8, effectsPerJob: 50, retryDelaySeconds: 5 };

export interface EffectWorkerDeps {
  effects: ConversationEffects;
  notifier: Notifier;
  /** The outbound rows of notifications: every attempt's outcome is recorded there. */
  notifications: OutboundNotifications;
  jobs: JobQueue;
  job: JobDefinition<ConversationEffectsData>;
  policy: EffectPolicy;
  log: JobLogger;
}

/**
 * Runs a conversation's pending effects after their commit. Each run is claimed on its row before
 * anything goes out and marked done after, keyed by conversation + seq + place: a worker that
 * dies in between leaves the row claimed, and the next run passes the same key to the transport,
 * which de-duplicates where it can (the development outbox does). A transport failure ends the
 * job so it comes back with backoff; the effect keeps its place. What the transport refused for
 * good (a bad address, an opted-out number) and a send that may have happened are not retried:
 * the notification's outbound row says why.
 */
export class EffectWorker {
  constructor(private readonly deps: EffectWorkerDeps) {}

  async drain(conversationId: string): Promise<void> {
    const { effects, policy } = this.deps;
    for (const pending of await effects.pending(conversationId, policy.leaseSeconds, policy.effectsPerJob)) {
      if (pending.busyForSeconds !== null) {
        // A live worker runs it and the rest after it; should it die, this job comes back once
        // its lease is over and finds the claim stale.
        await this.deps.jobs.send(this.deps.job, { conversationId }, { startAfter: Math.ceil(pending.busyForSeconds) + 1 });
        return;
      }
      await this.run(pending);
    }
  }

  private async run(pending: PendingEffect): Promise<void> {
    const { effects, notifications, policy, log } = this.deps;
    const attempt = await effects.claim(pending, pending.attempts, policy.leaseSeconds);
    // Another worker took it.
    if (attempt === null) return;
    if (pending.effect === null) {
      await effects.markFailed(pending, attempt, 'invalid_payload');
      await notifications.markFailed(pending, attempt, 'invalid_payload', null);
      log.error({ conversationId: pending.conversationId, seq: pending.seq, idx: pending.idx }, 'conversation effect does not parse; failed');
      return;
    }
    try {
      switch (pending.effect.kind) {
        case 'notify': {
          const receipt = await this.deps.notifier.send(pending.effect.notification, { effectKey: effectKeyString(pending) });
          await notifications.markSent(pending, attempt, receipt);
          failpoint('after-effect-sent');
          break;
        }
      }
    } catch (error) {
      // Ids and codes only: the recipient and the text stay out of the logs.
      const context = { conversationId: pending.conversationId, seq: pending.seq, idx: pending.idx, attempts: attempt, kind: pending.effect.kind };
      const failure = classify(error);
      if (failure.final) {
        await effects.markFailed(pending, attempt, failure.reason);
        await notifications.markFailed(pending, attempt, failure.reason, failure.providerCode);
        log.error({ ...context, reason: failure.reason, providerCode: failure.providerCode }, 'conversation effect failed for good; not retried');
        return;
      }
      if (attempt >= policy.maxAttempts) {
        await effects.markFailed(pending, attempt, 'retries_exhausted');
        await notifications.markFailed(pending, attempt, 'retries_exhausted', failure.providerCode);
        log.error(context, 'conversation effect failed for good');
        return;
      }
      await effects.release(pending, attempt, failure.reason);
      await notifications.markRetrying(pending, attempt, failure.reason, failure.providerCode);
      log.warn({ ...context, reason: failure.reason, err: error }, 'conversation effect did not run; retried');
      throw new JobFailure('unavailable');
    }
    await effects.markDone(pending, attempt);
  }
}

interface ClassifiedFailure {
  reason: NotificationErrorReason;
  /** Not retried: a retry would fail the same way, or could deliver a second copy. */
  final: boolean;
  providerCode: string | null;
}

/** An error the transport did not classify is retried, as before transports classified theirs (a database hiccup in the outbox). */
function classify(error: unknown): ClassifiedFailure {
  if (error instanceof NoTransportError) return { reason: 'no_transport', final: true, providerCode: null };
  if (!(error instanceof DeliveryError)) return { reason: 'unavailable', final: false, providerCode: null };
  const failure = error.failure;
  switch (failure.kind) {
    case 'rejected':
      return { reason: 'rejected', final: true, providerCode: failure.providerCode };
    case 'unknown_outcome':
      return { reason: 'unknown_outcome', final: true, providerCode: null };
    case 'rate_limited':
      return { reason: 'rate_limited', final: false, providerCode: '429' };
    case 'unavailable':
      return { reason: 'unavailable', final: false, providerCode: null };
    default:
      return assertNever(failure);
  }
}
