import { encodePolicyDecision, POLICY_DECISION_SLOT } from '../../core/policy-decision.js';
import type { AffectedDevice, Incident } from '../../db/incidents.js';
import type { Reply } from '../flow.js';
import { TROUBLESHOOTING_COPY as COPY } from './copy.js';

/** The open incidents (db/incidents.ts) as the troubleshooting flow asks them. */
export interface OpenIncidents {
  affecting(device: AffectedDevice): Promise<Incident | null>;
}

/** The policy name a known outage is recorded under: asking for a person next hands off as `technical_outage`. */
export const OUTAGE_POLICY = 'outage';

/** The option that asks for a person after hearing about the outage. */

/**
 * A customer troubleshooting a device an open incident affects: the bot says the problem is
 * known, in the operator's words, and walks no steps that cannot help. The incident is recorded
 * as the flow's policy decision, so the agent sees it and a person asked for next is asked about
 * the outage (bots/flows/handoff.ts). The walk ends here; the customer can still ask for a person.
 */
export function tellKnownOutage(reply: Reply, incident: Incident, device: string): void {
  reply
    .set(POLICY_DECISION_SLOT, encodePolicyDecision({ policy: OUTAGE_POLICY, outcome: 'refused', reason: 'known_outage', subject: `${incident.id} "${incident.title}"`.slice(0, 200) }))
    .choose(COPY.knownOutage(device, incident.customerMessage), [COPY.talkToPerson])
    .expect(null)
    .end('failed');
}
