import type { Config } from '../../core/config.js';
import { ReturnLabelLinks } from './label-link.js';
import { loadReturnPolicy, type ReturnPolicy } from './policy-file.js';

/**
 * What the returns and refund-status flows and the label route share. Built once at start-up.
 * No repository: flows reach returns only through the verified customer.
 */
export interface ReturnsServices {
  policy: ReturnPolicy;
  labelLinks: ReturnLabelLinks;
}

/** Loads the policy (RETURN_POLICY_FILE or the default) and signs label links with the session secret. */
export async function createReturnsServices(config: Pick<Config, 'RETURN_POLICY_FILE'>, sessionSecret: string): Promise<ReturnsServices> {
  const policy = await loadReturnPolicy(config.RETURN_POLICY_FILE);
  return { policy, labelLinks: new ReturnLabelLinks(sessionSecret, policy.labelValidDays) };
}
