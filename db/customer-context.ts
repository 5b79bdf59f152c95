import { sql, type Kysely } from 'kysely';
import type { ContextCaseSchema, ContextDeviceSchema, ContextOrderSchema, CustomerProfileSchema, EarlierConversationSchema } from '../core/agent-context.js';
import type { z } from 'zod';
import type { ConversationStatus } from '../core/conversation.js';
import { ChannelNameSchema } from '../core/message.js';
import type { Database } from './schema.js';

type Profile = z.infer<typeof CustomerProfileSchema>;
type Order = z.infer<typeof ContextOrderSchema>;
type Device = z.infer<typeof ContextDeviceSchema>;
type Earlier = z.infer<typeof EarlierConversationSchema>;
type Case = z.infer<typeof ContextCaseSchema>;

const ORDERS_LIMIT = 10;
const CASES_LIMIT = 20;

const iso = (value: Date | string | null): string | null => (value === null ? null : new Date(value).toISOString());
const isoOf = (value: Date | string): string => new Date(value).toISOString();

/**
 * A verified customer's records for the agent's context package. Every query names the customer
 * and filters by it in SQL; callers pass only a customer this conversation verified.
 */
export class CustomerContextReads {
  constructor(private readonly db: Kysely<Database>) {}

  async profile(customerId: string): Promise<Profile | null> {
    const row = await this.db
      .selectFrom('customers')
      .select(['id', 'name', 'email', 'phone', 'plan', 'vip', 'preferred_channel', 'created_at'])
      .where('id', '=', customerId)
      .executeTakeFirst();
    if (row === undefined) return null;
    return { id: row.id, name: row.name, email: row.email, phone: row.phone, plan: row.plan, vip: row.vip, preferredChannel: row.preferred_channel, customerSince: isoOf(row.created_at) };
  }

  /** The newest orders, each with its shipments' carrier, tracking and dates. */
  async orders(customerId: string): Promise<Order[]> {
    const orders = await this.db
      .selectFrom('orders')
      .select(['number', 'status', 'placed_at', 'total_cents', 'currency'])
      .where('customer_id', '=', customerId)
      .orderBy('placed_at', 'desc')
      .limit(ORDERS_LIMIT)
      .execute();
    if (orders.length === 0) return [];
    const shipments = await this.db
      .selectFrom('shipments')
      .selectAll()
      .where(
        'order_number',
        'in',
        orders.map((o) => o.number),
      )
      .orderBy('shipped_at')
      .execute();
    return orders.map((o) => ({
      number: o.number,
      status: o.status,
      placedAt: isoOf(o.placed_at),
      totalCents: o.total_cents,
      currency: o.currency,
      shipments: shipments
        .filter((s) => s.order_number === o.number)
        .map((s) => ({
          carrier: s.carrier,
          trackingNumber: s.tracking_number,
          trackingUrl: s.tracking_url,
          estimatedDelivery: iso(s.estimated_delivery),
          shippedAt: iso(s.shipped_at),
          deliveredAt: iso(s.delivered_at),
        })),
    }));
  }

  /** The device dashboard: every registered device's model, firmware, online state and last contact. */
  async devices(customerId: string): Promise<Device[]> {
    const rows = await this.db
      .selectFrom('devices as d')
      .innerJoin('products as p', 'p.sku', 'd.sku')
      .select(['d.serial', 'd.sku', 'd.nickname', 'd.firmware_version', 'd.online', 'd.last_seen_at', 'p.name'])
      .where('d.customer_id', '=', customerId)
      .orderBy('d.registered_at')
      .execute();
    return rows.map((d) => ({ serial: d.serial, model: d.name, sku: d.sku, nickname: d.nickname, firmware: d.firmware_version, online: d.online, lastSeenAt: iso(d.last_seen_at) }));
  }

  async cases(customerId: string): Promise<Case[]> {
    const rows = await this.db
      .selectFrom('cases')
      .select(['id', 'kind', 'status', 'summary', 'created_at', 'conversation_id'])
      .where('customer_id', '=', customerId)
      .orderBy('created_at', 'desc')
      .limit(CASES_LIMIT)
      .execute();
    return rows.map((c) => ({ id: c.id, kind: c.kind, status: c.status, summary: c.summary, createdAt: isoOf(c.created_at), conversationId: c.conversation_id }));
  }

  /**
   * Other conversations of the customer, newest first: those in which they proved to be this
   * customer, and those of the same contact (the same person on a channel identity). Never a
   * conversation merely linked to the profile by someone else's claim.
   */
  async earlierConversations(customerId: string, contactId: string, exceptId: string, limit: number): Promise<Earlier[]> {
    const { rows } = await sql<{ id: string; channel: string; status: ConversationStatus; created_at: Date | string; reason: string | null }>`
      select c.id, c.channel, c.status, c.created_at,
        (select e.payload->>'reason' from conversation_events e
          where e.conversation_id = c.id and e.type = 'status_changed' and e.payload->>'to' = 'queued'
          order by e.seq desc limit 1) as reason
      from conversations c
      where c.id <> ${exceptId}
        and (c.contact_id = ${contactId}
          or exists (select 1 from conversation_events v
            where v.conversation_id = c.id and v.type = 'customer_verified' and v.payload->>'customerId' = ${customerId}))
      order by c.created_at desc
      limit ${limit}`.execute(this.db);
    return rows.map((r) => ({ id: r.id, channel: ChannelNameSchema.parse(r.channel), startedAt: isoOf(r.created_at), reason: r.reason, status: r.status }));
  }
}
