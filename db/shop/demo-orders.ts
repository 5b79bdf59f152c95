import type { OrderStatus, PaymentStatus } from '../../core/order-status.js';
import { CARRIERS, type Carrier } from './demo-catalogue.js';
import type { OrderImport, ProductImport, ShippingAddressImport } from './import-schema.js';
import type { Prng } from './prng.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Everything that makes one demo order; the rest (prices, totals, payment, shipment) follows from it. */
export interface DemoOrderSpec {
  number: string;
  customerId: string;
  address: ShippingAddressImport;
  items: ReadonlyArray<{ sku: string; quantity: number }>;
  /** Statuses in the order they happened, with their times. */
  timeline: ReadonlyArray<{ status: OrderStatus; at: Date }>;
  carrier?: Carrier;
  trackingNumber?: string;
  estimatedDelivery?: Date;
  paymentStatus?: PaymentStatus;
}

/** Typical gap before each status, in ms: [min, max]. */
const STEP: Record<OrderStatus, readonly [number, number]> = {
  placed: [0, 0],
  paid: [2 * MINUTE, 90 * MINUTE],
  packed: [4 * HOUR, 30 * HOUR],
  shipped: [2 * HOUR, 24 * HOUR],
  out_for_delivery: [1 * DAY, 4 * DAY],
  delivered: [2 * HOUR, 10 * HOUR],
  cancelled: [1 * HOUR, 48 * HOUR],
  returned: [3 * DAY, 14 * DAY],
};

/** Times for `path`, laid out forward with realistic gaps, so that the last status happened `lastAgo` ms before `now`. */
export function timelineEndingAt(path: readonly OrderStatus[], now: Date, lastAgo: number, rng: Prng): Array<{ status: OrderStatus; at: Date }> {
  const offsets: number[] = [];
  let offset = 0;
  for (const status of path) {
    const [min, max] = STEP[status];
    offset += offsets.length === 0 ? 0 : rng.int(min, max);
    offsets.push(offset);
  }
  const placedAt = now.getTime() - lastAgo - offset;
  // Whole seconds: the timestamps look like a real shop's and survive every JSON/SQL round trip.
  return path.map((status, i) => ({ status, at: new Date(Math.floor((placedAt + (offsets[i] ?? 0)) / 1000) * 1000) }));
}

export function trackingNumber(carrier: Carrier, rng: Prng): string {
  const digits = (count: number) => Array.from({ length: count }, () => String(rng.int(0, 9))).join('');
  switch (carrier) {
    case 'UPS':
      return `1ZV0L7L103${digits(8)}`;
    case 'FedEx':
      return digits(12);
    case 'USPS':
      return `9400${digits(18)}`;
    case 'DHL':
      return digits(10);
    default: {
      const never: never = carrier;
      throw new Error(`unknown carrier ${String(never)}`);
    }
  }
}

/** Payment follows the order: money is taken at `paid` and given back on cancel after payment or return. */
function paymentFor(timeline: DemoOrderSpec['timeline']): PaymentStatus {
  const statuses = timeline.map((e) => e.status);
  const last = statuses[statuses.length - 1];
  if (last === 'returned') return 'refunded';
  if (last === 'cancelled') return statuses.includes('paid') ? 'refunded' : 'failed';
  if (last === 'placed') return 'pending';
  return 'paid';
}

export function buildDemoOrder(spec: DemoOrderSpec, products: ReadonlyMap<string, ProductImport>): OrderImport {
  const items = spec.items.map(({ sku, quantity }) => {
    const product = products.get(sku);
    if (product === undefined) throw new Error(`demo order ${spec.number} uses unknown SKU ${sku}`);
    return { sku, quantity, unitPriceCents: product.priceCents };
  });
  const last = spec.timeline[spec.timeline.length - 1];
  if (last === undefined) throw new Error(`demo order ${spec.number} has no timeline`);
  const at = (status: OrderStatus) => spec.timeline.find((e) => e.status === status)?.at;
  const shippedAt = at('shipped');
  const shipments: OrderImport['shipments'] = [];
  if (shippedAt !== undefined && spec.carrier !== undefined && spec.trackingNumber !== undefined) {
    const deliveredAt = at('delivered');
    shipments.push({
      id: `SH-${spec.number}-1`,
      carrier: spec.carrier,
      trackingNumber: spec.trackingNumber,
      trackingUrl: CARRIERS[spec.carrier](spec.trackingNumber),
      estimatedDelivery: (spec.estimatedDelivery ?? new Date(shippedAt.getTime() + 4 * DAY)).toISOString(),
      shippedAt: shippedAt.toISOString(),
      deliveredAt: deliveredAt?.toISOString() ?? null,
    });
  }
  return {
    number: spec.number,
    customerId: spec.customerId,
    status: last.status,
    paymentStatus: spec.paymentStatus ?? paymentFor(spec.timeline),
    placedAt: (spec.timeline[0]?.at ?? last.at).toISOString(),
    currency: 'USD',
    totalCents: items.reduce((sum, item) => sum + item.quantity * item.unitPriceCents, 0),
    shippingAddress: spec.address,
    items,
    timeline: spec.timeline.map((e) => ({ status: e.status, at: e.at.toISOString() })),
    shipments,
  };
}
