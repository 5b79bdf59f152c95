import { z } from 'zod';

/** The forward path of an order; `cancelled` and `returned` end it early or late. */
export const ORDER_FLOW = ['placed', 'paid', 'packed', 'shipped', 'out_for_delivery', 'delivered'] as const;

/**
 * Where an order stands: the import file, the `orders.status` and `order_status_events.status`
 * columns (CHECK constraints: db/migrations/0006-status-checks.ts) and every flow that branches on it.
 */
export const OrderStatusSchema = z.enum([...ORDER_FLOW, 'cancelled', 'returned']);
export type OrderStatus = z.infer<typeof OrderStatusSchema>;
export const ORDER_STATUSES = OrderStatusSchema.options;

/** What happened to an order's money (`orders.payment_status`). */
export const PaymentStatusSchema = z.enum(['pending', 'paid', 'failed', 'refunded', 'partially_refunded']);
export type PaymentStatus = z.infer<typeof PaymentStatusSchema>;
export const PAYMENT_STATUSES = PaymentStatusSchema.options;
