import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { z } from 'zod';
import { CustomerChannelSchema, type CustomerChannel } from '../../core/message.js';
import { OrderStatusSchema, ORDER_STATUSES, PaymentStatusSchema } from '../../core/order-status.js';
import { ShippingAddressSchema, type ShippingAddress } from '../../core/shipping-address.js';

/** The closed vocabularies the bots branch on; an import cannot invent new ones. */
export const PLANS = ['standard', 'plus', 'premium'] as const;
export const PRODUCT_CATEGORIES = [
  'router',
  'camera',
  'smart_plug',
  'thermostat',
  'speaker',
  'headphones',
  'tv',
  'laptop',
  'accessory',
  'software',
  'gift_card',
] as const;

export type Plan = (typeof PLANS)[number];
export type PreferredChannel = CustomerChannel;
export type ProductCategory = (typeof PRODUCT_CATEGORIES)[number];

const MAX_INT = 2_147_483_647;
const id = z.string().trim().min(1).max(64);
const timestamp = z.iso.datetime({ offset: true }).describe('ISO 8601 date-time with a Z or ±hh:mm offset');
const cents = z.number().int().min(0).max(MAX_INT);
const currency = z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD');

/** The regex is what JSON Schema can express; libphonenumber then checks the number really exists in its country plan. */
const e164 = z
  .string()
  .regex(/^\+[1-9]\d{6,14}$/, { message: 'must be an E.164 phone number such as +14155550101', abort: true })
  .refine(isE164PhoneNumber, 'is not a valid phone number for its country code');

export function isE164PhoneNumber(value: string): boolean {
  const parsed = parsePhoneNumberFromString(value);
  return parsed !== undefined && parsed.isValid() && parsed.number === value;
}

export const CustomerImportSchema = z.strictObject({
  id: id.describe('Customer ID, e.g. C1001'),
  accountId: id.describe('Shop account ID, e.g. A700001'),
  name: z.string().trim().min(1).max(200),
  email: z.email(),
  phone: e164.nullable().optional(),
  plan: z.enum(PLANS),
  preferredChannel: CustomerChannelSchema,
  vip: z.boolean().default(false),
});

export const ProductImportSchema = z.strictObject({
  sku: id,
  name: z.string().trim().min(1).max(200),
  category: z.enum(PRODUCT_CATEGORIES),
  priceCents: cents,
  currency,
  returnWindowDays: z.number().int().min(0).max(3650),
  warrantyMonths: z.number().int().min(0).max(240),
  finalSale: z.boolean().default(false),
});

export const OrderItemImportSchema = z.strictObject({
  sku: id,
  quantity: z.number().int().min(1).max(1000),
  unitPriceCents: cents,
});

export const StatusEventImportSchema = z.strictObject({
  status: OrderStatusSchema,
  at: timestamp,
});

export const ShipmentImportSchema = z.strictObject({
  id,
  carrier: z.string().trim().min(1).max(40).describe('UPS, FedEx, USPS, DHL, …'),
  trackingNumber: z.string().trim().min(1).max(64),
  trackingUrl: z.url({ protocol: /^https?$/ }),
  estimatedDelivery: timestamp.nullable().optional(),
  shippedAt: timestamp.nullable().optional(),
  deliveredAt: timestamp.nullable().optional(),
});

export const OrderImportSchema = z.strictObject({
  number: id.describe('Order number, e.g. 100234'),
  customerId: id,
  status: OrderStatusSchema,
  paymentStatus: PaymentStatusSchema,
  placedAt: timestamp,
  currency,
  totalCents: cents.optional().describe('Defaults to the sum of quantity × unitPriceCents over the items'),
  shippingAddress: ShippingAddressSchema,
  items: z.array(OrderItemImportSchema).min(1).max(200),
  timeline: z
    .array(StatusEventImportSchema)
    .max(ORDER_STATUSES.length)
    .default([])
    .describe('Status changes, oldest first; the last one must equal `status`'),
  shipments: z.array(ShipmentImportSchema).max(20).default([]),
});

export const DeviceImportSchema = z.strictObject({
  serial: id,
  customerId: id,
  sku: id.describe('SKU of the device model'),
  nickname: z.string().trim().min(1).max(100).nullable().optional(),
  firmwareVersion: z.string().regex(/^\d+\.\d+\.\d+$/, 'must look like 2.4.1'),
  online: z.boolean(),
  lastSeenAt: timestamp.nullable().optional(),
  registeredAt: timestamp,
});

/** The whole import file. Every collection is optional; records are upserted by their IDs. */
export const ShopImportSchema = z
  .strictObject({
    $schema: z.string().optional(),
    customers: z.array(CustomerImportSchema).default([]),
    products: z.array(ProductImportSchema).default([]),
    orders: z.array(OrderImportSchema).default([]),
    devices: z.array(DeviceImportSchema).default([]),
  })
  .meta({
    title: 'Switchboard shop import',
    description: 'Customers, products, orders and devices loaded by `npm run shop -- import FILE.json`.',
  });

export type ShopImport = z.output<typeof ShopImportSchema>;
export type ShopImportInput = z.input<typeof ShopImportSchema>;
export type CustomerImport = z.output<typeof CustomerImportSchema>;
export type ProductImport = z.output<typeof ProductImportSchema>;
export type OrderImport = z.output<typeof OrderImportSchema>;
export type ShipmentImport = z.output<typeof ShipmentImportSchema>;
export type DeviceImport = z.output<typeof DeviceImportSchema>;
export type ShippingAddressImport = ShippingAddress;

/** The JSON Schema committed at docs/schemas/shop-import.schema.json (a test keeps them equal). */
export function shopImportJsonSchema(): string {
  const schema = z.toJSONSchema(ShopImportSchema, { io: 'input', target: 'draft-2020-12' });
  return `${JSON.stringify(schema, null, 2)}\n`;
}
