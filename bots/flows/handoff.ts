import { IssueCategorySchema, type HandoffReason } from '../../core/handoff-triage.js';
import { HANDOFF_COPY_EN, type HandoffCopy } from '../copy/handoff.js';
import { Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { flowState } from '../flow-state.js';
import { OUTAGE_POLICY } from '../troubleshooting/outage.js';

/** Intents only people handle, and the reason each hands off with (the policy prioritises by it). */
const REASON_OF_INTENT: Record<string, HandoffReason> = {
  complaint: 'complaint',
  safety_hazard: 'human_only_intent',
  legal_threat: 'human_only_intent',
  media_inquiry: 'human_only_intent',
};

/** Hands the conversation to a person, with what was tried recorded in the event log. */
export class HandoffFlow implements Flow {
  readonly name = 'handoff';
  /** It keeps nothing: the handoff request carries what the agent needs. */
  readonly state = flowState({});

  constructor(private readonly copy: HandoffCopy = HANDOFF_COPY_EN) {}

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    const intent = ctx.nlu.intent;
    const asked: HandoffReason = (intent !== null ? REASON_OF_INTENT[intent] : undefined) ?? 'customer_asked';
    const tried = ctx.state.attempts.at(-1)?.flow;
    // A person asked for right after a refusal is asked for an exception to that policy.
    const refusal = asked === 'customer_asked' ? ctx.state.refusal : null;
    // After hearing about a known outage it is the outage they want a person for.
    const outage = refusal?.policy === OUTAGE_POLICY ? refusal : null;
    const reason: HandoffReason = outage !== null ? 'technical_outage' : refusal !== null ? 'beyond_policy' : asked;
    const detail =
      outage !== null
        ? `asked for a person during the open incident ${outage.subject ?? ''}`.trim()
        : refusal !== null
        ? `asked for an exception to the ${refusal.policy} policy (${refusal.reason}${refusal.subject !== null ? `: ${refusal.subject}` : ''})`
        : `${asked === 'customer_asked' ? 'asked for a person' : intent}${tried !== undefined ? ` after ${tried}` : ''}`;
    const category = intent === 'safety_hazard' ? 'device' : refusal !== null ? IssueCategorySchema.safeParse(refusal.policy).data : undefined;
    if (starting) reply.start();
    if (intent === 'safety_hazard') reply.say(this.copy.safetyFirst);
    reply.say(this.copy.connecting).expect(null).end('handed_off').handoff(reason, detail, category);
    return Promise.resolve(reply.decision());
  }
}
