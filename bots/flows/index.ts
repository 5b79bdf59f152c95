import type { ShopQueries } from '../../db/orders.js';
import type { Flow } from '../flow.js';
import type { IdentityGate } from '../identity-gate.js';
import { HandoffFlow } from './handoff.js';
import { OrderStatusFlow } from './order-status.js';

export interface FlowDeps {
  shop: ShopQueries;
  gate: IdentityGate;
  orderNumberPattern: string;
}

/** Every flow the bot can run, by the name intent files refer to (`flow: order_status`). */
export function buildFlows(deps: FlowDeps): ReadonlyMap<string, Flow> {
  const flows: Flow[] = [new OrderStatusFlow(deps), new HandoffFlow()];
  return new Map(flows.map((f) => [f.name, f]));
}
