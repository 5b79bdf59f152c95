import { failpoint } from '../core/failpoints.js';
import type { Notifier } from '../core/notifier.js';
import { effectKeyString, type ConversationEffects, type PendingEffect } from '../db/conversation-effects.js';
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
 * job so it comes back with backoff; the effect keeps its place.
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
    const { effects, policy, log } = this.deps;
    const attempt = await effects.claim(pending, pending.attempts, policy.leaseSeconds);
    // Another worker took it.
    if (attempt === null) return;
    if (pending.effect === null) {
      await effects.markFailed(pending, attempt, 'invalid_payload');
      log.error({ conversationId: pending.conversationId, seq: pending.seq, idx: pending.idx }, 'conversation effect does not parse; failed');
      return;
    }
    try {
      switch (pending.effect.kind) {
        case 'notify':
          await this.deps.notifier.send(pending.effect.notification, { effectKey: effectKeyString(pending) });
          failpoint('after-effect-sent');
          break;
      }
    } catch (error) {
      // Ids and codes only: the recipient and the text stay out of the logs.
      const context = { conversationId: pending.conversationId, seq: pending.seq, idx: pending.idx, attempts: attempt, kind: pending.effect.kind };
      if (attempt >= policy.maxAttempts) {
        await effects.markFailed(pending, attempt, 'retries_exhausted');
        log.error(context, 'conversation effect failed for good');
        return;
      }
      await effects.release(pending, attempt, 'unavailable');
      log.warn({ ...context, err: error }, 'conversation effect did not run; retried');
      throw new JobFailure('unavailable');
    }
    await effects.markDone(pending, attempt);
  }
}
