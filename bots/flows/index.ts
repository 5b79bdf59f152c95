import type { Flow } from '../flow.js';
import { HandoffFlow } from './handoff.js';
import { OrderStatusFlow, type OrderStatusDeps } from './order-status.js';

export type FlowDeps = OrderStatusDeps;

/** Every flow the bot can run, by the name intent files refer to (`flow: order_status`). */
export function buildFlows(deps: FlowDeps): ReadonlyMap<string, Flow> {
  const flows: Flow[] = [new OrderStatusFlow(deps), new HandoffFlow()];
  return new Map(flows.map((f) => [f.name, f]));
}
