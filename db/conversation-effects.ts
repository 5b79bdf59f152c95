import { sql, type Kysely } from 'kysely';
import type { ConversationEffect } from '../core/conversation-writes.js';
import { NotificationSchema, type NotificationErrorReason } from '../core/notifier.js';
import { OutboundNotifications } from './outbound-notifications.js';
import type { Database } from './schema.js';
import { seconds } from './sql-interval.js';

/** The effects this table keeps (deliveries are `outbound_messages` rows). */
export type RecordedEffect = Extract<ConversationEffect, { kind: 'notify' }>;

/** An effect is named by its conversation, the first seq of the change that decided it, and its place in that change. */
export interface EffectKey {
  conversationId: string;
  seq: number;
  idx: number;
}

export interface PendingEffect extends EffectKey {
  /** Null when the stored payload no longer parses: it is failed, never run half-read. */
  effect: RecordedEffect | null;
  /** Runs started so far: the fencing token a claim must name. */
  attempts: number;
  /** Set while a live worker runs it: the seconds its lease has left. */
  busyForSeconds: number | null;
}

/** Why an effect has not run (the reasons of its notification's outbound row). Codes only: a transport's error text may quote the recipient. */
export type EffectErrorReason = NotificationErrorReason;

/** `conversation:seq:idx`, the same on every run of one effect. */
export function effectKeyString(key: EffectKey): string {
  return `${key.conversationId}:${key.seq}:${key.idx}`;
}

/** The transactional outbox of conversations (`conversation_effects`). */
export class ConversationEffects {
  constructor(private readonly db: Kysely<Database>) {}

  /** On the commit's transaction: the effects exist iff the change's events do. */
  async insert(executor: Pick<Kysely<Database>, 'insertInto'>, effects: ReadonlyArray<EffectKey & { effect: RecordedEffect }>): Promise<void> {
    if (effects.length === 0) return;
    await executor
      .insertInto('conversation_effects')
      .values(effects.map((e) => ({ conversation_id: e.conversationId, seq: e.seq, idx: e.idx, kind: e.effect.kind, payload: JSON.stringify(payloadOf(e.effect)) })))
      .execute();
    // Each email and SMS is an outbound row from its commit on: queued, then sent or failed.
    await OutboundNotifications.insertQueued(executor, effects.map((e) => ({ conversationId: e.conversationId, seq: e.seq, idx: e.idx, notification: e.effect.notification })));
  }

  /**
   * The conversation's effects still to run, in the order they were decided. One a live worker
   * holds says how long its lease has left (`busy`).
   */
  async pending(conversationId: string, leaseSeconds: number, limit: number): Promise<PendingEffect[]> {
    const rows = await this.db
      .selectFrom('conversation_effects')
      .select(['conversation_id', 'seq', 'idx', 'kind', 'payload', 'attempts'])
      .select(sql<number | null>`case when claimed_at > now() - ${seconds(leaseSeconds)} then extract(epoch from claimed_at + ${seconds(leaseSeconds)} - now())::float8 end`.as('lease_remaining'))
      .where('conversation_id', '=', conversationId)
      .where('status', '=', 'pending')
      .orderBy('seq')
      .orderBy('idx')
      .limit(limit)
      .execute();
    return rows.map((r) => ({
      conversationId: r.conversation_id,
      seq: r.seq,
      idx: r.idx,
      attempts: r.attempts,
      effect: parseEffect(r.kind, r.payload),
      busyForSeconds: r.lease_remaining === null ? null : Math.max(0, r.lease_remaining),
    }));
  }

  /** Starts a run before anything goes out; null when another worker got there first. */
  async claim(key: EffectKey, expectedAttempts: number, leaseSeconds: number): Promise<number | null> {
    const row = await this.matching(key)
      .set({ claimed_at: sql<Date>`now()`, attempts: sql<number>`attempts + 1` })
      .where('status', '=', 'pending')
      .where('attempts', '=', expectedAttempts)
      .where((eb) => eb.or([eb('claimed_at', 'is', null), sql<boolean>`claimed_at <= now() - ${seconds(leaseSeconds)}`]))
      .returning('attempts')
      .executeTakeFirst();
    return row?.attempts ?? null;
  }

  async markDone(key: EffectKey, attempt: number): Promise<void> {
    await this.matching(key).set({ status: 'done', claimed_at: null, last_error: null, done_at: sql<Date>`now()` }).where('attempts', '=', attempt).execute();
  }

  /** Ends a run that did not happen; the next run may claim it at once. */
  async release(key: EffectKey, attempt: number, reason: EffectErrorReason): Promise<void> {
    await this.matching(key).set({ claimed_at: null, last_error: reason }).where('status', '=', 'pending').where('attempts', '=', attempt).execute();
  }

  async markFailed(key: EffectKey, attempt: number, reason: EffectErrorReason): Promise<void> {
    await this.matching(key).set({ status: 'failed', claimed_at: null, last_error: reason }).where('status', '=', 'pending').where('attempts', '=', attempt).execute();
  }

  /** Emails and SMS still to send that have not failed yet (the development outbox waits for them). */
  async unsentNotifications(): Promise<number> {
    const row = await this.db
      .selectFrom('conversation_effects')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('status', '=', 'pending')
      .where('kind', '=', 'notify')
      .where('last_error', 'is', null)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Conversations with effects still to run (the start-up sweep nudges each). */
  async conversationsWithPending(limit: number): Promise<string[]> {
    const rows = await this.db.selectFrom('conversation_effects').select('conversation_id').distinct().where('status', '=', 'pending').limit(limit).execute();
    return rows.map((r) => r.conversation_id);
  }

  private matching(key: EffectKey) {
    return this.db.updateTable('conversation_effects').where('conversation_id', '=', key.conversationId).where('seq', '=', key.seq).where('idx', '=', key.idx);
  }
}

function payloadOf(effect: RecordedEffect): unknown {
  switch (effect.kind) {
    case 'notify':
      return effect.notification;
  }
}

function parseEffect(kind: string, payload: unknown): RecordedEffect | null {
  if (kind !== 'notify') return null;
  const parsed = NotificationSchema.safeParse(payload);
  return parsed.success ? { kind: 'notify', notification: parsed.data } : null;
}
