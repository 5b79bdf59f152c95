import type { IntentAction } from '../core/nlu.js';
import { GATE_STEPS } from './identity-gate.js';
import { Reply, payloadValue, type Flow, type FlowContext, type TurnDecision } from './flow.js';

/** Intents that answer within a flow (yes/no, pleasantries) and never interrupt it. */
const NEVER_INTERRUPTS = new Set(['affirm', 'deny', 'greeting', 'thanks']);
/** How sure the NLU must be before a new intent interrupts the running flow. */
const INTERRUPT_CONFIDENCE = 0.6;

/** Any of these answers "what's your order number (or email/phone)?". */
const IDENTITY_CLAIMS = new Set<string | null>(['order_number', 'email', 'phone']);

const MAIN_MENU = [
  { label: "Where's my order?", value: 'intent:order_status' },
  { label: 'Return an item', value: 'intent:return_request' },
  { label: 'Fix a device', value: 'intent:troubleshoot_device_offline' },
  { label: 'Talk to a person', value: 'intent:human_agent' },
];

export interface DialogueDeps {
  flows: ReadonlyMap<string, Flow>;
  actions: ReadonlyMap<string, IntentAction>;
  /**
   * Answers an intent whose flow isn't available, or a message no intent fits (intent null),
   * e.g. from the knowledge base when retrieval is confident; null when it can't.
   */
  answerUnhandled?: (ctx: FlowContext, intent: string | null) => Promise<TurnDecision | null>;
  /** Answers a general question (e.g. about a policy) before a transactional flow starts; null to start the flow. */
  answerQuestion?: (ctx: FlowContext) => Promise<TurnDecision | null>;
  pick?: (options: readonly string[]) => string;
}

/**
 * Decides who answers a message: the running flow, a new flow for the detected intent,
 * the intent's canned response, or the fallback. Pure policy: no I/O of its own.
 */
export class DialogueManager {
  constructor(private readonly deps: DialogueDeps) {}

  async respond(ctx: FlowContext): Promise<TurnDecision> {
    const intent = this.chosenIntent(ctx);
    const active = ctx.state.activeFlow === null ? undefined : this.deps.flows.get(ctx.state.activeFlow);
    if (active !== undefined && (active.answers?.(ctx) === true || !this.interrupts(ctx, intent, active.name))) return active.handle(ctx, false);

    if (intent === null) return (await this.deps.answerUnhandled?.(ctx, null)) ?? this.fallback(ctx);
    const action = this.deps.actions.get(intent);
    const flowName = action?.humanOnly ? 'handoff' : action?.flow;
    const flow = flowName === undefined ? undefined : this.deps.flows.get(flowName);
    if (flow !== undefined && flowName !== 'knowledge' && flowName !== 'handoff' && active === undefined && payloadValue(ctx, 'intent') === null) {
      const answered = await this.deps.answerQuestion?.(ctx);
      if (answered) return answered;
    }
    if (flow !== undefined) {
      const decision = await flow.handle(ctx, true);
      // Starting a new flow abandons the one it interrupted, so the handoff package shows it.
      if (active !== undefined) {
        decision.events.unshift({ at: ctx.now.toISOString(), type: 'flow_ended', flow: active.name, outcome: 'abandoned' });
      }
      return decision;
    }
    if (action !== undefined && action.responses.length > 0) {
      const pick = this.deps.pick ?? ((options: readonly string[]) => options[Math.floor(Math.random() * options.length)]!);
      const reply = new Reply(ctx, null);
      return intent === 'greeting' ? reply.choose(pick(action.responses), MAIN_MENU).decision() : reply.say(pick(action.responses)).decision();
    }
    const answered = await this.deps.answerUnhandled?.(ctx, intent);
    return answered ?? this.fallback(ctx);
  }

  /** A pressed quick reply `intent:x` is the customer choosing x; otherwise the NLU's decision. */
  private chosenIntent(ctx: FlowContext): string | null {
    return payloadValue(ctx, 'intent') ?? ctx.nlu.intent;
  }

  private interrupts(ctx: FlowContext, intent: string | null, activeFlow: string): boolean {
    if (intent === null || NEVER_INTERRUPTS.has(intent)) return false;
    if (payloadValue(ctx, 'intent') !== null) return true;
    if (ctx.message.payload !== undefined) return false;
    const action = this.deps.actions.get(intent);
    if (action?.flow === activeFlow) return false;
    // The flow asked for something and the message carries it: it's an answer, not a new topic.
    const expected = ctx.state.expecting;
    const answers = expected === 'order_number' ? IDENTITY_CLAIMS : new Set([expected]);
    if (expected !== null && ctx.nlu.entities.some((e) => answers.has(e.type))) return false;
    if (ctx.state.step === GATE_STEPS.awaitingCode && /\b\d{6}\b|resend|code/i.test(ctx.message.text)) return false;
    return ctx.nlu.confidence >= INTERRUPT_CONFIDENCE || action?.humanOnly === true;
  }

  private fallback(ctx: FlowContext): TurnDecision {
    const reply = new Reply(ctx, null);
    // ctx.state already counts this message: the second miss in a row offers a person first.
    if (ctx.state.misunderstandings >= 2) {
      return reply
        .choose(`I'm sorry, I'm still not getting it. Would you like me to connect you with a member of our team?`, [
          { label: 'Talk to a person', value: 'intent:human_agent' },
          ...MAIN_MENU.slice(0, 3),
        ])
        .decision();
    }
    return reply
      .choose(`Sorry, I didn't quite get that. I can help with orders, returns, devices, payments and your account.`, MAIN_MENU)
      .decision();
  }
}
