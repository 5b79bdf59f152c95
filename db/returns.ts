import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { ReturnMethod, ReturnResolution, ReturnStatus } from '../core/return-status.js';
import type { Database, ReturnsTable } from './schema.js';

export interface ReturnRecord {
  rma: string;
  orderNumber: string;
  customerId: string;
  status: ReturnStatus;
  resolution: ReturnResolution;
  method: ReturnMethod;
  reason: string;
  items: Array<{ line: number; sku: string; quantity: number }>;
  refundCents: number;
  restockingFeeCents: number;
  /** An exchange for another product; null for a refund or a like-for-like exchange. */
  exchange: ExchangeTarget | null;
  createdAt: Date;
  updatedAt: Date;
}

/** The product sent instead, and the difference: positive the customer pays it, negative it is refunded. */
export interface ExchangeTarget {
  sku: string;
  differenceCents: number;
}

/** One order line with the product facts the return policy needs. */
export interface ReturnableLine {
  line: number;
  sku: string;
  name: string;
  category: string;
  quantity: number;
  unitPriceCents: number;
  finalSale: boolean;
  returnWindowDays: number;
  warrantyMonths: number;
}

/** What a new return records; `customerId` is the verified customer's. */
export interface NewReturn {
  orderNumber: string;
  customerId: string;
  conversationId: string | null;
  line: { line: number; sku: string; quantity: number };
  status: ReturnStatus;
  resolution: ReturnResolution;
  method: ReturnMethod;
  reason: string;
  refundCents: number;
  restockingFeeCents: number;
  exchange?: ExchangeTarget | null;
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * The RMA number of an order line. Derived from the line rather than random so the primary key
 * itself guarantees one return per line: two conversations asking at once (web chat and SMS)
 * insert the same key and the second one finds the first's row. Knowing an RMA grants nothing:
 * labels need a signed link and refund status a verified customer.
 */
export function rmaNumberFor(orderNumber: string, line: number): string {
  const digest = createHash('sha256').update(`voltline-rma:${orderNumber}:${line}`).digest();
  let out = '';
  for (let i = 0; i < 8; i += 1) out += CROCKFORD[digest[i]! % 32];
  return `RMA-${out}`;
}

function toRecord(row: Selectable<ReturnsTable>): ReturnRecord {
  return {
    rma: row.rma,
    orderNumber: row.order_number,
    customerId: row.customer_id,
    status: row.status,
    resolution: row.resolution,
    method: row.method,
    reason: row.reason,
    items: typeof row.items === 'string' ? (JSON.parse(row.items) as ReturnRecord['items']) : row.items,
    refundCents: row.refund_cents,
    restockingFeeCents: row.restocking_fee_cents,
    exchange: row.exchange_sku === null ? null : { sku: row.exchange_sku, differenceCents: row.exchange_difference_cents },
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/**
 * Returns (RMAs). The `…Of(customerId, …)` reads filter by the customer in SQL: those are what
 * `VerifiedCustomer` uses. The unscoped reads serve the signed label link and operations only.
 */
export class ReturnRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The lines of an order with their product's return facts, in line order. */
  async orderLines(orderNumber: string): Promise<ReturnableLine[]> {
    return this.lines(orderNumber, null);
  }

  /** Like `orderLines`, but empty unless the order is the customer's. */
  async orderLinesOf(customerId: string, orderNumber: string): Promise<ReturnableLine[]> {
    return this.lines(orderNumber, customerId);
  }

  private async lines(orderNumber: string, customerId: string | null): Promise<ReturnableLine[]> {
    let query = this.db
      .selectFrom('order_items as i')
      .innerJoin('products as p', 'p.sku', 'i.sku')
      .select(['i.line', 'i.sku', 'p.name', 'p.category', 'i.quantity', 'i.unit_price_cents', 'p.final_sale', 'p.return_window_days', 'p.warranty_months'])
      .where('i.order_number', '=', orderNumber);
    if (customerId !== null) {
      query = query.where((eb) => eb.exists(eb.selectFrom('orders as o').select('o.number').whereRef('o.number', '=', 'i.order_number').where('o.customer_id', '=', customerId)));
    }
    const rows = await query.orderBy('i.line').execute();
    return rows.map((r) => ({
      line: r.line,
      sku: r.sku,
      name: r.name,
      category: r.category,
      quantity: r.quantity,
      unitPriceCents: r.unit_price_cents,
      finalSale: r.final_sale,
      returnWindowDays: r.return_window_days,
      warrantyMonths: r.warranty_months,
    }));
  }

  async get(rma: string): Promise<ReturnRecord | null> {
    const row = await this.db.selectFrom('returns').selectAll().where('rma', '=', rma).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async forLine(orderNumber: string, line: number): Promise<ReturnRecord | null> {
    return this.get(rmaNumberFor(orderNumber, line));
  }

  /** The customer's return of one order line; null when there is none or it is someone else's. */
  async forLineOf(customerId: string, orderNumber: string, line: number): Promise<ReturnRecord | null> {
    const row = await this.db.selectFrom('returns').selectAll().where('rma', '=', rmaNumberFor(orderNumber, line)).where('customer_id', '=', customerId).executeTakeFirst();
    return row ? toRecord(row) : null;
  }

  async forCustomer(customerId: string, limit = 10): Promise<ReturnRecord[]> {
    const rows = await this.db.selectFrom('returns').selectAll().where('customer_id', '=', customerId).orderBy('created_at', 'desc').limit(limit).execute();
    return rows.map(toRecord);
  }

  /** Creates the return of one order line, or returns the one that already exists (`created: false`). */
  async createForLine(input: NewReturn): Promise<{ record: ReturnRecord; created: boolean }> {
    const rma = rmaNumberFor(input.orderNumber, input.line.line);
    const inserted = await this.db
      .insertInto('returns')
      .values({
        rma,
        order_number: input.orderNumber,
        customer_id: input.customerId,
        conversation_id: input.conversationId,
        status: input.status,
        resolution: input.resolution,
        method: input.method,
        reason: input.reason,
        items: JSON.stringify([input.line]),
        refund_cents: input.refundCents,
        restocking_fee_cents: input.restockingFeeCents,
        exchange_sku: input.exchange?.sku ?? null,
        exchange_difference_cents: input.exchange?.differenceCents ?? 0,
      })
      .onConflict((oc) => oc.column('rma').doNothing())
      .returning('rma')
      .executeTakeFirst();
    const record = await this.get(rma);
    if (record === null) throw new Error(`return ${rma} vanished after insert`);
    return { record, created: inserted !== undefined };
  }

  /** Moves a return on (warehouse scans, refunds); used by operations and tests. */
  async setStatus(rma: string, status: ReturnStatus, at: Date = new Date()): Promise<void> {
    await this.db.updateTable('returns').set({ status, updated_at: at }).where('rma', '=', rma).execute();
  }
}
