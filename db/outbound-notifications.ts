import { sql, type Kysely, type Selectable } from 'kysely';
import { maskRecipient, type Notification, type NotificationErrorReason, type NotificationReceipt } from '../core/notifier.js';
import type { EffectKey } from './conversation-effects.js';
import type { Database, OutboundNotificationsTable } from './schema.js';

export type OutboundNotificationRow = Selectable<OutboundNotificationsTable>;

type Executor = Pick<Kysely<Database>, 'insertInto'>;

/**
 * The outbound rows of emails and SMS (`outbound_notifications`), one per notify effect: what an
 * operator reads to see whether a code went out, through what, and why not. The effect row
 * (`conversation_effects`) stays the queue's bookkeeping (claims, leases); every attempt is
 * recorded here with the same attempt number.
 */
export class OutboundNotifications {
  constructor(private readonly db: Kysely<Database>) {}

  /** On the commit's transaction, with the effects that send them: queued from the start. */
  static async insertQueued(executor: Executor, notifications: ReadonlyArray<EffectKey & { notification: Notification }>): Promise<void> {
    if (notifications.length === 0) return;
    await executor
      .insertInto('outbound_notifications')
      .values(
        notifications.map((n) => ({
          conversation_id: n.conversationId,
          seq: n.seq,
          idx: n.idx,
          transport: n.notification.transport,
          recipient: maskRecipient(n.notification.transport, n.notification.to),
        })),
      )
      .onConflict((oc) => oc.columns(['conversation_id', 'seq', 'idx']).doNothing())
      .execute();
  }

  async markSent(key: EffectKey, attempt: number, receipt: NotificationReceipt): Promise<void> {
    await this.matching(key)
      .set({ status: 'sent', via: receipt.via, provider_message_id: receipt.providerMessageId, attempts: attempt, last_error: null, provider_code: null, updated_at: sql<Date>`now()` })
      .execute();
  }

  /** The attempt did not send; another follows. */
  async markRetrying(key: EffectKey, attempt: number, reason: NotificationErrorReason, providerCode: string | null): Promise<void> {
    await this.matching(key).set({ attempts: attempt, last_error: reason, provider_code: providerCode, updated_at: sql<Date>`now()` }).execute();
  }

  async markFailed(key: EffectKey, attempt: number, reason: NotificationErrorReason, providerCode: string | null): Promise<void> {
    await this.matching(key).set({ status: 'failed', attempts: attempt, last_error: reason, provider_code: providerCode, updated_at: sql<Date>`now()` }).execute();
  }

  /** A conversation's notifications in the order they were decided. */
  async ofConversation(conversationId: string): Promise<OutboundNotificationRow[]> {
    return this.db.selectFrom('outbound_notifications').selectAll().where('conversation_id', '=', conversationId).orderBy('seq').orderBy('idx').execute();
  }

  /** Only a queued row moves: a sent or failed one is final. */
  private matching(key: EffectKey) {
    return this.db
      .updateTable('outbound_notifications')
      .where('conversation_id', '=', key.conversationId)
      .where('seq', '=', key.seq)
      .where('idx', '=', key.idx)
      .where('status', '=', 'queued');
  }
}
