import type { ExpiryOutcome, OfferActions, ScheduleExpiry } from '../handoff/routing-offers.js';
import { offerExpiryJob } from './offer-expiry-job.js';
import type { JobQueue } from './queue.js';

/** Stores an offer's expiry job for its expiry time (before the offer commits: see OfferActions.offer). */
export function offerExpiryScheduler(jobs: JobQueue): ScheduleExpiry {
  return async ({ conversationId, offerSeq, offerId, expiresAt }) => {
    await jobs.send(offerExpiryJob, { conversationId, offerSeq, offerId }, { startAfter: expiresAt });
  };
}

/**
 * Registers the offer-expiry queue on a started `JobQueue` and starts this instance's workers:
 * each due job ends its offer if nobody took it (`offer_expired`, under the conversation's
 * lock) and then calls `expired`, so routing offers the conversation to the next agent. A job
 * that comes early (clocks differ) is queued again for the offer's expiry.
 */
export async function startOfferExpiry(deps: {
  jobs: JobQueue;
  offers: Pick<OfferActions, 'expire'>;
  expired(outcome: ExpiryOutcome): void;
  concurrency?: number;
}): Promise<void> {
  await deps.jobs.register(offerExpiryJob);
  await deps.jobs.work(
    offerExpiryJob,
    async (data) => {
      const outcome = await deps.offers.expire(data);
      if (outcome.kind === 'not_due') await deps.jobs.send(offerExpiryJob, data, { startAfter: outcome.expiresAt });
      if (outcome.kind === 'expired') deps.expired(outcome);
    },
    { concurrency: deps.concurrency ?? 2 },
  );
}
