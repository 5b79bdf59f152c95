import type { ConversationEvent } from '../core/conversation.js';
import { priorityRank, type HandoffRequest } from '../core/handoff-triage.js';
import type { HandoffPolicy, HandoffTriage } from './policy.js';

export type TriagedEvent = Extract<ConversationEvent, { type: 'triaged' }>;

/** What the turn knows about the conversation when a flow hands it off. */
export interface HandoffSituation {
  intent: string | null;
  /** The flow running (or last tried) when it handed off. */
  lastFlow: string | null;
  /** The customer this conversation identified (verified, or matched by phone) while that holds. */
  identifiedCustomerId: string | null;
}

/**
 * Turns a flow's handoff request into the `triaged` event the queue and the SLA jobs read:
 * the policy's priority, category, team and skills, and the SLA deadlines in the team's hours.
 * The only I/O is whether the identified customer is a VIP.
 */
export class HandoffDesk {
  constructor(
    readonly policy: HandoffPolicy,
    private readonly isVip: (customerId: string) => Promise<boolean>,
  ) {}

  async triage(request: HandoffRequest, situation: HandoffSituation): Promise<HandoffTriage> {
    const vip = situation.identifiedCustomerId !== null && (await this.isVip(situation.identifiedCustomerId));
    return this.policy.triage(request, { intent: situation.intent, lastFlow: situation.lastFlow, vip });
  }

  async triagedEvent(request: HandoffRequest, situation: HandoffSituation, now: Date): Promise<TriagedEvent> {
    const triage = await this.triage(request, situation);
    return triagedEventOf(this.policy, triage, now);
  }
}

/** The event recording a triage at `now`. */
export function triagedEventOf(policy: HandoffPolicy, triage: HandoffTriage, now: Date): TriagedEvent {
  const team = policy.queueTeam(triage.team);
  return {
    at: now.toISOString(),
    type: 'triaged',
    // Kept for consumers of the older event: what it is about.
    issueType: triage.category ?? 'general',
    team,
    priority: priorityRank(triage.priority),
    reason: triage.reason,
    detail: triage.detail,
    category: triage.category,
    policyTeam: triage.team,
    skills: triage.skills,
    sla: policy.slaDue(triage.team, now),
  };
}
