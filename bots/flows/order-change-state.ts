import { z } from 'zod';
import { ShippingAddressSchema } from '../../core/shipping-address.js';
import { flowState, storedAsJsonText } from '../flow-state.js';
import { GATE_FIELDS } from '../identity-gate.js';

/** What the order-change flow keeps: which change, the order (the gate's field) and an address read but not yet confirmed. */
export const OrderChangeState = flowState({
  ...GATE_FIELDS,
  order_change: z.enum(['cancel', 'address']),
  /** Releases before typed frames stored it as JSON text. */
  new_address: storedAsJsonText(ShippingAddressSchema),
});
export type ChangeKind = 'cancel' | 'address';
