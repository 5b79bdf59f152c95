import { describe, expect, test } from 'vitest';
import type { OrderStatus } from '../../core/order-status.js';
import type { OrderDetails } from '../../db/orders.js';
import { describeOrder, formatDay } from './order-format.js';

const NOW = new Date('2026-12-02T18:00:00Z'); // Wed 10:00 in California, Wed 19:00 in Berlin

function order(status: OrderStatus, eta: Date | null, shippedAt = new Date('2026-12-01T20:00:00Z')): OrderDetails {
  return {
    number: '100234',
    customerId: 'C1001',
    status,
    paymentStatus: 'paid',
    placedAt: new Date('2026-11-30T07:30:00Z'),
    totalCents: 34900,
    currency: 'USD',
    items: [{ sku: 'VL-SOUND-MAX', name: 'Voltline Sound Max', category: 'speaker', quantity: 1, unitPriceCents: 34900 }],
    timeline: [
      { status: 'placed', at: new Date('2026-11-30T07:30:00Z') },
      { status: 'shipped', at: shippedAt },
    ],
    shipments: [
      { id: 'S1', order_number: '100234', carrier: 'UPS', tracking_number: '1Z999', tracking_url: 'https://www.ups.com/track?tracknum=1Z999', estimated_delivery: eta, shipped_at: shippedAt, delivered_at: null },
    ],
  };
}

const text = (o: OrderDetails, timeZone: string) => {
  const card = describeOrder(o, { timeZone, now: NOW });
  return card.kind === 'card' ? card.text : '';
};

describe('order times in the customer’s time zone', () => {
  test.each([
    // 05:00 UTC on Saturday is still Friday evening in California.
    ['America/Los_Angeles', 'Estimated delivery: Fri, Dec 4.', 'shipped on Tue, Dec 1'],
    ['Europe/Berlin', 'Estimated delivery: Sat, Dec 5.', 'shipped on Tue, Dec 1'],
    ['Asia/Tokyo', 'Estimated delivery: Sat, Dec 5.', 'shipped on Wed, Dec 2'],
  ])('a delivery estimate shown in %s', (zone, estimate, shipped) => {
    const shown = text(order('shipped', new Date('2026-12-05T05:00:00Z')), zone);
    expect(shown).toContain(estimate);
    expect(shown).toContain(shipped);
  });

  test('an estimate for tomorrow on the customer’s calendar says tomorrow, with the day', () => {
    const eta = new Date('2026-12-03T22:00:00Z');
    expect(text(order('shipped', eta), 'America/Los_Angeles')).toContain('Estimated delivery: tomorrow (Thu, Dec 3).');
    // Already Thursday in Tokyo, where the same instant is Friday morning.
    expect(text(order('shipped', eta), 'Asia/Tokyo')).toContain('Estimated delivery: tomorrow (Fri, Dec 4).');
  });

  test('out for delivery says "today" and never an estimate for another day beside it', () => {
    const today = text(order('out_for_delivery', new Date('2026-12-02T23:00:00Z')), 'America/Los_Angeles');
    expect(today).toContain('should arrive today.');
    expect(today).not.toMatch(/Estimated delivery|Thu|Wed,/);

    // The carrier's estimate is already tomorrow in Berlin: the reply says so instead of "today".
    const berlin = text(order('out_for_delivery', new Date('2026-12-02T23:30:00Z')), 'Europe/Berlin');
    expect(berlin).toContain('should arrive tomorrow (Thu, Dec 3).');
    expect(berlin).not.toContain('today');
    expect(berlin).not.toContain('Estimated delivery');
  });

  test('a day is formatted on the zone’s calendar, not UTC’s', () => {
    const lateEvening = new Date('2026-12-03T06:30:00Z');
    expect(formatDay(lateEvening, 'America/Los_Angeles')).toBe('Wed, Dec 2');
    expect(formatDay(lateEvening, 'UTC')).toBe('Thu, Dec 3');
  });
});
