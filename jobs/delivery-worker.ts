import type { Kysely } from 'kysely';
import { DeliveryError, type ChannelSender, type DeliveryErrorReason, type DeliveryFailure } from '../core/channel.js';
import { assertNever, degradeToText, type OutboundMessage } from '../core/message.js';
import { transactionExecutor } from '../db/connection.js';
import type { OutboundMessages, QueuedMessage } from '../db/outbound-messages.js';
import type { Database } from '../db/schema.js';
import { retryDelayMs, type DeliveryPolicy } from './delivery-policy.js';
import type { JobDefinition } from './job-definition.js';
import type { OutboundDeliveryData } from './outbound-delivery-job.js';
import type { JobLogger, JobQueue } from './queue.js';

export interface DeliveryWorkerDeps {
  db: Kysely<Database>;
  messages: OutboundMessages;
  jobs: JobQueue;
  job: JobDefinition<OutboundDeliveryData>;
  senders: ReadonlyMap<string, ChannelSender>;
  policy: DeliveryPolicy;
  log: JobLogger;
}

/** What to do after one message: go on with the next, or leave the conversation for now. */
type Next = 'continue' | 'stop';

/**
 * Sends a conversation's queued messages in seq order through the channel's sender.
 *
 * Every attempt is claimed on the row before anything goes out, so the row always says whether
 * a send may have happened. Only failures the sender classifies as "not sent" (429, 5xx, a
 * connection refused before the request was written) are retried; a send that may have
 * happened is repeated only when the sender can check or de-duplicate by the idempotency key,
 * else it ends `failed` with `unknown_outcome`. A message waiting for its retry holds back the
 * later ones, so the customer reads them in order.
 */
export class DeliveryWorker {
  constructor(private readonly deps: DeliveryWorkerDeps) {}

  async drain(conversationId: string): Promise<void> {
    const { messages, policy } = this.deps;
    for (let handled = 0; handled < policy.messagesPerJob; handled += 1) {
      const head = await messages.head(conversationId, policy.leaseSeconds);
      switch (head.state) {
        case 'idle':
          return;
        case 'waiting':
          // Its retry was scheduled together with a job for then.
          return;
        case 'busy':
          // Another worker is sending and drains the rest; should it die, this job comes back
          // when its lease runs out and finds the claim stale.
          await this.nudge(conversationId, head.leaseRemainingSeconds + 1);
          return;
        case 'ready':
        case 'orphaned':
          if ((await this.deliver(head.message, head.state === 'orphaned')) === 'stop') return;
          break;
        default:
          assertNever(head);
      }
    }
    await this.nudge(conversationId, 0);
  }

  private async deliver(message: QueuedMessage, orphaned: boolean): Promise<Next> {
    const sender = this.deps.senders.get(message.channel);
    if (sender === undefined) return this.fail(message, message.attempts, 'no_sender');
    if (message.content === null) return this.fail(message, message.attempts, 'invalid_content');
    // The last attempt may have reached the customer: its worker died mid-send, or the sender
    // could not tell (a timeout after the request was written).
    if (orphaned || message.lastError === 'unknown_outcome') {
      const find = sender.findByIdempotencyKey?.bind(sender);
      if (find !== undefined) {
        const settled = await this.askProvider(find, message);
        if (settled !== null) return settled;
      } else if (!sender.dedupesByIdempotencyKey) {
        return this.fail(message, message.attempts, 'unknown_outcome');
      }
    }
    const attempt = await this.deps.messages.claim(message, message.attempts, this.deps.policy.leaseSeconds);
    // Another worker claimed it first and drains the rest.
    if (attempt === null) return 'stop';
    return this.send(sender, message, message.content, attempt);
  }

  /** Null when the provider says it never got the message: then it is sent (again). */
  private async askProvider(find: NonNullable<ChannelSender['findByIdempotencyKey']>, message: QueuedMessage): Promise<Next | null> {
    let receipt;
    try {
      receipt = await find(idempotencyKey(message));
    } catch {
      // Cannot tell yet: ask again later, still as an unknown outcome.
      return this.retryLater(message, message.attempts, { kind: 'unknown_outcome' });
    }
    if (receipt === null) return null;
    await this.deps.messages.recordSent(message, message.attempts, receipt);
    return 'continue';
  }

  private async send(sender: ChannelSender, message: QueuedMessage, content: OutboundMessage, attempt: number): Promise<Next> {
    const rendered: OutboundMessage = sender.renders.has(content.kind) ? content : { kind: 'text', text: degradeToText(content) };
    try {
      const receipt = await sender.send({ conversationId: message.conversationId, channel: sender.channel, senderId: message.identity }, rendered, {
        seq: message.seq,
        author: message.author,
        idempotencyKey: idempotencyKey(message),
      });
      await this.deps.messages.recordSent(message, attempt, receipt);
      return 'continue';
    } catch (error) {
      // An error the sender did not classify may have come after the request went out.
      const failure: DeliveryFailure = error instanceof DeliveryError ? error.failure : { kind: 'unknown_outcome' };
      return this.onFailure(sender, message, attempt, failure);
    }
  }

  private async onFailure(sender: ChannelSender, message: QueuedMessage, attempt: number, failure: DeliveryFailure): Promise<Next> {
    switch (failure.kind) {
      case 'rejected':
        return this.fail(message, attempt, failure.optedOut === true ? 'opted_out' : 'rejected');
      case 'unknown_outcome':
        if (!sender.dedupesByIdempotencyKey && sender.findByIdempotencyKey === undefined) return this.fail(message, attempt, 'unknown_outcome');
        return this.retryLater(message, attempt, failure);
      case 'rate_limited':
      case 'unavailable':
        return this.retryLater(message, attempt, failure);
      default:
        return assertNever(failure);
    }
  }

  /** Frees the claim and schedules the next attempt and its job in one transaction. */
  private async retryLater(message: QueuedMessage, attempt: number, failure: DeliveryFailure): Promise<Next> {
    const { db, messages, jobs, job, policy } = this.deps;
    if (attempt >= policy.maxAttempts) return this.fail(message, attempt, failure.kind === 'unknown_outcome' ? 'unknown_outcome' : 'retries_exhausted');
    const delayMs = retryDelayMs(policy, failure, attempt);
    await db.transaction().execute(async (trx) => {
      if (await messages.scheduleRetry(trx, message, attempt, delayMs, failure.kind)) {
        await jobs.send(job, { conversationId: message.conversationId }, { startAfter: delayMs / 1000, executor: transactionExecutor(trx) });
      }
    });
    return 'stop';
  }

  private async fail(message: QueuedMessage, attempt: number, reason: DeliveryErrorReason): Promise<Next> {
    await this.deps.messages.markFailed(message, attempt, reason);
    // Ids and codes only: the recipient and the text stay out of the logs.
    this.deps.log.warn({ conversationId: message.conversationId, seq: message.seq, channel: message.channel, attempts: attempt, reason }, 'outbound message failed');
    return 'continue';
  }

  private async nudge(conversationId: string, afterSeconds: number): Promise<void> {
    await this.deps.jobs.send(this.deps.job, { conversationId }, afterSeconds > 0 ? { startAfter: afterSeconds } : {});
  }
}

/** The same on every attempt of a message, so providers that de-duplicate by key deliver it once. */
export function idempotencyKey(message: { conversationId: string; seq: number }): string {
  return `${message.conversationId}:${message.seq}`;
}
