import type { Flow } from '../flow.js';
import { AccountFlow } from './account.js';
import { DeliveryProblemFlow } from './delivery-problem.js';
import type { FlowServices } from './index.js';
import { OrderChangeFlow } from './order-change.js';
import { PasswordResetTokens } from './password-reset-tokens.js';
import { PaymentFlow } from './payment.js';

/** Order changes, payment problems, account access and delivery problems. */
export function orderAndAccountFlows(services: FlowServices): Flow[] {
  const cites = { knowledge: services.knowledge, publicUrl: () => services.publicUrl() };
  const common = { ...cites, gate: services.gate, shopTimeZone: services.config.SHOP_TIME_ZONE };
  return [
    new OrderChangeFlow({ ...common, shopName: services.shopName }),
    new PaymentFlow(common),
    new DeliveryProblemFlow(common),
    new AccountFlow({
      ...cites,
      accounts: services.accounts,
      counters: services.state.counters,
      resetTokens: new PasswordResetTokens(services.state.snapshots),
      shopName: services.shopName,
      passwordResetUrl: services.config.PASSWORD_RESET_URL ?? null,
    }),
  ];
}
