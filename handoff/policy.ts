import type { HandoffReason, HandoffRequest, IssueCategory, Priority, SlaDue } from '../core/handoff-triage.js';
import { priorityOfRank, priorityRank } from '../core/handoff-triage.js';
import type { Sentiment } from '../core/nlu.js';
import { addBusinessMinutes, type BusinessHours } from './business-hours.js';
import { loadHandoffPolicyFile, type HandoffPolicyFile, type HandoffRule, type SlaTargets } from './policy-file.js';

export type { HandoffRequest } from '../core/handoff-triage.js';

/** What the turn knows besides the request. */
export interface TriageContext {
  /** The intent of the message that handed off. */
  intent: string | null;
  /** The last flow the bot tried, to guess the category when the flow did not say. */
  lastFlow: string | null;
  /** The verified customer is a VIP (false when nobody is verified). */
  vip: boolean;
}

/** How a handed-off conversation waits for a person. */
export interface HandoffTriage {
  reason: HandoffReason;
  detail: string;
  priority: Priority;
  category: IssueCategory | null;
  /** The policy's team; see `HandoffPolicy.queueTeam` for where it is stored. */
  team: string;
  /** Skills the agent who takes it needs. */
  skills: string[];
}

/** What `trigger` looks at: the turn's understanding and the conversation's state. */
export interface TriggerInput {
  intent: string | null;
  sentiment: Sentiment;
  /** The intent is marked `humanOnly` in its intent file. */
  humanOnly: boolean;
  /** Consecutive messages not understood, this one included (`ConversationState.misunderstandings`). */
  misunderstandings: number;
  /** The customer the conversation identified (verified, or matched by phone) is a VIP. */
  vip: boolean;
}

export interface HandoffTrigger {
  reason: HandoffReason;
  detail: string;
}

/**
 * The handoff policy (handoff/policy.yaml, docs/agents.md): when the bot must hand off, and for
 * each handoff its priority, category, team, required skills and SLA deadlines. Pure: it reads
 * nothing at run time, so every rule is a row of a table test.
 */
export class HandoffPolicy {
  constructor(readonly file: HandoffPolicyFile) {}

  /** The first rule that matches decides; without one, the defaults do. */
  triage(request: HandoffRequest, context: TriageContext): HandoffTriage {
    const { file } = this;
    const guessed = request.category ?? (context.lastFlow !== null ? file.flowCategories[context.lastFlow] : undefined) ?? null;
    const rule = file.rules.find((r) => matches(r, request.reason, context, guessed));
    const category = request.category ?? rule?.category ?? guessed;
    const team = rule?.team ?? (category !== null ? file.categoryTeams[category] : undefined) ?? file.defaults.team;
    const base = rule?.priority ?? 'normal';
    // A rule written for VIPs (on `vip`, or the `vip_customer` reason) already set their priority.
    const forVips = rule?.when.vip !== undefined || rule?.when.reason?.includes('vip_customer') === true;
    const raise = context.vip && !forVips ? file.vip.raisePriority : 0;
    const skills = [...new Set([...(rule?.skills ?? []), ...(context.vip ? file.vip.skills : [])])];
    return { reason: request.reason, detail: request.detail, priority: priorityOfRank(priorityRank(base) + raise), category, team, skills };
  }

  /**
   * Whether the conversation must go to a person now, and why: the customer asked, an intent
   * only people handle, a customer who is upset or frustrated, a VIP the bot misunderstood
   * (`vip.misunderstoodInARow`, once by default), or anyone it misunderstood too many times in a
   * row (in that order). Null: the bot carries on.
   */
  trigger(input: TriggerInput): HandoffTrigger | null {
    const t = this.file.triggers;
    if (input.intent !== null && t.customerAskedIntents.includes(input.intent)) return { reason: 'customer_asked', detail: `asked for a person (${input.intent})` };
    if (input.humanOnly && input.intent !== null) return { reason: 'human_only_intent', detail: `"${input.intent}" is handled by people only` };
    if (input.sentiment.frustration >= t.frustrationAtLeast || input.sentiment.score <= t.negativeSentimentAtMost) {
      return { reason: 'frustration', detail: `sentiment ${input.sentiment.score.toFixed(2)}, frustration ${input.sentiment.frustration.toFixed(2)}` };
    }
    if (input.vip && input.misunderstandings >= this.file.vip.misunderstoodInARow) {
      return { reason: 'vip_customer', detail: `VIP customer: ${input.misunderstandings} ${input.misunderstandings === 1 ? 'message' : 'messages in a row'} not understood` };
    }
    if (input.misunderstandings >= t.misunderstoodInARow) return { reason: 'misunderstood_twice', detail: `${input.misunderstandings} messages in a row not understood` };
    return null;
  }

  /** Where a team's conversations are stored: a shared team's wait unrouted, in every agent's queue. */
  queueTeam(team: string): string | null {
    return this.file.teams[team]?.shared === true ? null : team;
  }

  /** The team's SLA targets and hours (its own, else the defaults). */
  serviceLevel(team: string | null): { targets: SlaTargets; hours: BusinessHours } {
    const own = team !== null ? this.file.teams[team] : undefined;
    return { targets: { ...this.file.defaults.sla, ...own?.sla }, hours: own?.hours ?? this.file.defaults.hours };
  }

  /** When a customer's message at `at` must be answered while a person of `team` holds the conversation. */
  nextResponseDue(team: string | null, at: Date): Date {
    const { targets, hours } = this.serviceLevel(team);
    return addBusinessMinutes(at, targets.nextResponseMinutes, hours);
  }

  /** When a handoff to `team` at `at` must be answered and resolved, counted in the team's working hours. */
  slaDue(team: string | null, at: Date): SlaDue {
    const { targets, hours } = this.serviceLevel(team);
    return {
      firstResponseDueAt: addBusinessMinutes(at, targets.firstResponseMinutes, hours).toISOString(),
      resolutionDueAt: addBusinessMinutes(at, targets.resolutionHours * 60, hours).toISOString(),
    };
  }
}

function matches(rule: HandoffRule, reason: HandoffReason, context: TriageContext, category: IssueCategory | null): boolean {
  const { when } = rule;
  if (when.reason !== undefined && !when.reason.includes(reason)) return false;
  if (when.intent !== undefined && (context.intent === null || !when.intent.includes(context.intent))) return false;
  if (when.category !== undefined && (category === null || !when.category.includes(category))) return false;
  if (when.vip !== undefined && when.vip !== context.vip) return false;
  return true;
}

/** The policy of `file` (the shipped handoff/policy.yaml by default), validated: SB_ERR_CONFIG stops the start otherwise. */
export async function loadHandoffPolicy(file?: string): Promise<HandoffPolicy> {
  return new HandoffPolicy(await loadHandoffPolicyFile(file));
}
