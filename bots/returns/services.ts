import type { Kysely } from 'kysely';
import type { Config } from '../../core/config.js';
import { CaseRepository } from '../../db/cases.js';
import { ReturnRepository } from '../../db/returns.js';
import type { Database } from '../../db/schema.js';
import { ReturnLabelLinks } from './label-link.js';
import { loadReturnPolicy, type ReturnPolicy } from './policy-file.js';

/** What the returns and refund-status flows and the label route share. Built once at start-up. */
export interface ReturnsServices {
  policy: ReturnPolicy;
  labelLinks: ReturnLabelLinks;
  returns: ReturnRepository;
  cases: CaseRepository;
}

/** Loads the policy (RETURN_POLICY_FILE or the default) and signs label links with the session secret. */
export async function createReturnsServices(db: Kysely<Database>, config: Pick<Config, 'RETURN_POLICY_FILE'>, sessionSecret: string): Promise<ReturnsServices> {
  const policy = await loadReturnPolicy(config.RETURN_POLICY_FILE);
  return {
    policy,
    labelLinks: new ReturnLabelLinks(sessionSecret, policy.labelValidDays),
    returns: new ReturnRepository(db),
    cases: new CaseRepository(db),
  };
}
