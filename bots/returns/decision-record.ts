import { encodePolicyDecision, POLICY_DECISION_SLOT } from '../../core/policy-decision.js';
import type { ReturnableLine } from '../../db/returns.js';
import type { ReturnsSlots } from './answers.js';
import type { ReturnDecision } from './policy.js';

/**
 * Records the return policy's decision in the log (a slot), for the agent who may pick the
 * conversation up (server/agent/context-package.ts). The same decision again adds no event.
 */
export function recordReturnDecision(slots: ReturnsSlots, orderNumber: string, line: Pick<ReturnableLine, 'name'>, decision: ReturnDecision): void {
  slots.set(
    POLICY_DECISION_SLOT,
    encodePolicyDecision({ policy: 'returns', outcome: decision.eligible ? 'allowed' : 'refused', reason: decision.reason, subject: `order ${orderNumber}, ${line.name}`.slice(0, 200) }),
  );
}
