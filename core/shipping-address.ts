import { z } from 'zod';

/**
 * Where an order goes: the import file's `shippingAddress`, the `orders.shipping_address` jsonb
 * column (validated when read) and the address a customer types in chat. One schema so the
 * three can't drift; the chat parser adds only its rules for reading free text.
 */
export const ShippingAddressSchema = z.strictObject({
  line1: z.string().min(1).max(200),
  line2: z.string().min(1).max(200).optional(),
  city: z.string().min(1).max(100),
  region: z.string().min(1).max(100).optional(),
  postalCode: z.string().min(1).max(20),
  country: z.string().regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 code such as US'),
});
export type ShippingAddress = z.infer<typeof ShippingAddressSchema>;
