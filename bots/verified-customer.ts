import type { Kysely } from 'kysely';
import type { ConversationEffect } from '../core/conversation-writes.js';
import type { ShippingAddress } from '../core/shipping-address.js';
import { CaseRepository, newCaseId, type CaseRow, type NewCase } from '../db/cases.js';
import { CustomerClaims } from '../db/customer-claims.js';
import { DeviceRecords, type DeviceDetails } from '../db/devices.js';
import { OrderChanges, type OrderChangeResult } from '../db/order-changes.js';
import { OrderRecords, type OrderDetails, type OrderSummary } from '../db/orders.js';
import { ReturnRepository, type NewReturn, type ReturnableLine, type ReturnRecord } from '../db/returns.js';
import type { CustomerRow, Database } from '../db/schema.js';
import { WarrantyRecords, type PurchasedProduct, type WarrantyStatus } from '../db/warranties.js';

/** The stores a `VerifiedCustomer` reads and writes through; held by the identity gate only. */
export interface CustomerRecordSources {
  customers: Pick<CustomerClaims, 'byId'>;
  orders: OrderRecords;
  changes: OrderChanges;
  returns: ReturnRepository;
  devices: DeviceRecords;
  cases: CaseRepository;
  warranties: WarrantyRecords;
}

/** The sources over one database (the composition root builds them once). */
export function customerRecordSources(db: Kysely<Database>): CustomerRecordSources {
  return {
    customers: new CustomerClaims(db),
    orders: new OrderRecords(db),
    changes: new OrderChanges(db),
    returns: new ReturnRepository(db),
    devices: new DeviceRecords(db),
    cases: new CaseRepository(db),
    warranties: new WarrantyRecords(db),
  };
}

/**
 * A customer the identity gate has verified, as a capability: every query and write goes
 * through it and sees only this customer's records. Someone else's order, return, device or
 * case is `null` (or absent from a list) exactly as one that doesn't exist, so no flow can leak
 * it or has an ownership check to forget. Built only by `IdentityGate` (a lint rule refuses
 * `new VerifiedCustomer` elsewhere); flows never see the stores behind it.
 */
export class VerifiedCustomer {
  constructor(
    private readonly sources: CustomerRecordSources,
    /** The verified customer's id, from the server-side conversation state. */
    readonly id: string,
    /** The turn's effects: what this customer's writes become, applied with the turn's commit. */
    private readonly effects: ConversationEffect[],
  ) {}

  /** Name and the email on file, for confirmations. */
  async profile(): Promise<CustomerRow | null> {
    return this.sources.customers.byId(this.id);
  }

  async order(number: string): Promise<OrderDetails | null> {
    return this.sources.orders.order(this.id, number);
  }

  /** The most recent orders, newest first. */
  async orders(limit = 5): Promise<OrderSummary[]> {
    return this.sources.orders.recent(this.id, limit);
  }

  /** The lines of one of the customer's orders with their return facts; empty for anyone else's. */
  async orderLines(orderNumber: string): Promise<ReturnableLine[]> {
    return this.sources.returns.orderLinesOf(this.id, orderNumber);
  }

  async shippingAddress(orderNumber: string): Promise<ShippingAddress | null> {
    return this.sources.changes.shippingAddress(orderNumber, this.id);
  }

  async cancelOrder(orderNumber: string, at: Date): Promise<OrderChangeResult> {
    return this.sources.changes.cancel({ orderNumber, customerId: this.id, at });
  }

  async changeAddress(orderNumber: string, address: ShippingAddress, at: Date): Promise<OrderChangeResult> {
    return this.sources.changes.changeAddress({ orderNumber, customerId: this.id, address, at });
  }

  /** The customer's returns, newest first. */
  async returns(limit?: number): Promise<ReturnRecord[]> {
    return this.sources.returns.forCustomer(this.id, limit);
  }

  async returnOf(orderNumber: string, line: number): Promise<ReturnRecord | null> {
    return this.sources.returns.forLineOf(this.id, orderNumber, line);
  }

  /** Creates the return of one of the customer's order lines (or finds the one already there). */
  async createReturn(input: Omit<NewReturn, 'customerId'>): Promise<{ record: ReturnRecord; created: boolean }> {
    if ((await this.orderLines(input.orderNumber)).every((l) => l.line !== input.line.line)) {
      throw new Error('a return can only be created for an order line of the verified customer');
    }
    return this.sources.returns.createForLine({ ...input, customerId: this.id });
  }

  async devices(): Promise<DeviceDetails[]> {
    return this.sources.devices.forCustomer(this.id);
  }

  async device(serial: string): Promise<DeviceDetails | null> {
    return this.sources.devices.one(this.id, serial);
  }

  async cases(): Promise<CaseRow[]> {
    return this.sources.cases.forCustomer(this.id);
  }

  /**
   * Opens a case with the turn's commit: it exists iff the turn is stored, so a turn that fails
   * and is retried opens one case, not two. Its id is known now, for the reply.
   */
  async openCase(input: Omit<NewCase, 'customerId' | 'conversationId'> & { conversationId: string }): Promise<{ id: string }> {
    const id = newCaseId();
    this.effects.push({ kind: 'open_case', case: { id, customerId: this.id, ...input } });
    return { id };
  }

  /** What the customer bought that carries a warranty, newest first. */
  async purchasedProducts(): Promise<PurchasedProduct[]> {
    return this.sources.warranties.purchased(this.id);
  }

  async warranty(input: { sku: string; now: Date; boughtBefore?: Date; orderNumber?: string }): Promise<WarrantyStatus | null> {
    return this.sources.warranties.status(this.id, input);
  }
}
