import type { ConversationEvent } from '../core/conversation.js';
import type { ChoiceOption } from '../core/message.js';
import type { IntentAction, NluResult } from '../core/nlu.js';
import type { HandoffTrigger, TriggerInput } from '../handoff/policy.js';
import { DIALOGUE_COPY_EN, ENGLISH_ONLY_NOTE, type DialogueCopy } from './copy/dialogue.js';
import { HANDOFF_COPY_EN, type HandoffCopy } from './copy/handoff.js';
import { Reply, payloadValue, type Flow, type FlowContext, type TurnDecision } from './flow.js';
import { GATE_STEPS, typedCode } from './identity-gate.js';
import { foldEvents } from './state.js';
import { soundsLikeQuestion, soundsLikeRequest, splitRequests } from './understanding/clauses.js';
import { isCorrection } from './understanding/correction.js';
import { detectCommand, type GlobalCommand } from './understanding/global-command.js';
import { foreignLanguage } from './understanding/language.js';
import { asksAboutOtherOrder } from './understanding/other-order.js';

/** Intents that answer within a flow (yes/no, pleasantries) and never interrupt it. */
const NEVER_INTERRUPTS = new Set(['affirm', 'deny', 'greeting', 'thanks', 'goodbye']);
/** How sure the NLU must be before a new intent interrupts the running flow. */
const INTERRUPT_CONFIDENCE = 0.6;
/** How sure it must be to interrupt for an intent only people handle ("the thermostat one" read 0.39 as a safety hazard). */
const HUMAN_ONLY_CONFIDENCE = 0.5;
/** An intent this close to the best one is offered beside it when the bot asks which it is. */
const CLARIFY_MARGIN = 0.2;

/** Any of these answers "what's your order number (or email/phone)?". */
const IDENTITY_CLAIMS = new Set<string | null>(['order_number', 'email', 'phone']);
const ABOUT_THE_CODE = /\b(?:resend|code|didn'?t (?:get|receive)|send (?:it )?again)\b/i;

const RESUME = 'resume';
const DROP = 'resume-drop';
/** "Something else" in a clarifying question: the menu, not a guess. */
const MENU = 'dialogue:menu';

/** "ok back to my return", "let's continue with that": the customer takes up what was set aside, typed rather than pressed. */
const RESUME_TYPED = /\b(?:back to (?:my|the|our)|continue (?:with )?(?:my|the)|carry on with|go on with|get back to|resume|finish (?:my|the))\b/i;

/** Read-only tasks an order number alone asks again about, right after one ended ("and 100235?"). */
const FOLLOWS_UP = new Set(['order_status', 'refund_status']);

/** Flows that only answer and never hold the customer's records: run in passing, mid-flow. */
const IN_PASSING = new Set(['knowledge']);

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
  copy?: DialogueCopy;
  /** Intent detection for one part of a message that holds two requests. */
  classify?: (text: string, ctx: FlowContext) => Promise<NluResult>;
  /** When the conversation must go to a person without being asked (`HandoffPolicy.trigger`). */
  handoffTrigger?: (input: TriggerInput) => HandoffTrigger | null;
  handoffCopy?: HandoffCopy;
}

/** The triggers the dialogue acts on itself; asking for a person and human-only intents have their flow. */
const UNASKED = new Set<HandoffTrigger['reason']>(['frustration', 'vip_customer', 'misunderstood_twice']);

/** Not a misunderstanding: the bot understood that the message is not for it (and said so). */
const REFUSED = new Set(['gibberish', 'oos_class']);

/**
 * Two requests in one message: the one that does something first, and either a question
 * answered beside it or a second task queued behind it (offered when the first ends).
 */
type TwoRequests = { kind: 'question'; primary: FlowContext; question: FlowContext } | { kind: 'queued'; primary: FlowContext; queued: { flow: string; text: string } };

/** A yes or no, then something else: "yes. when do I get my money back?", "no thanks, how long is the warranty?". */
const YES_NO_LEAD = /^\s*((?:yes|yeah|yep|yup|sure|ok(?:ay)?|no|nope|nah)(?: please| thanks| thank you)?)\s*[.,!;:]+\s*(\S.{3,})$/i;

/** Slot of a frame queued from a message's second request: that request's words, run when it is taken up. */
const QUEUED_TEXT = 'queued_request';

/**
 * Decides who answers a message, in a fixed order (docs/dialogue.md):
 * 1. a pressed button (an intent, resuming a set-aside flow);
 * 2. the answer the active flow is waiting for (its options, the entity it asked for, a code);
 * 3. a global command (cancel, start over, back, menu, a person), in every state;
 * 4. a correction of what was just given, re-run by the active flow;
 * 5. a confident different intent: a digression on top of the active flow, which is offered
 *    again when the digression ends (a question is answered in passing and the flow goes on);
 * 6. no confident intent: a clarifying question with options, never a guessed flow.
 * Pure policy: the flows do the I/O.
 */
export class DialogueManager {
  private readonly copy: DialogueCopy;
  private readonly handoffCopy: HandoffCopy;
  private readonly noteLanguages: ReadonlySet<string>;

  constructor(private readonly deps: DialogueDeps) {
    this.copy = deps.copy ?? DIALOGUE_COPY_EN;
    this.handoffCopy = deps.handoffCopy ?? HANDOFF_COPY_EN;
    this.noteLanguages = new Set(Object.keys(ENGLISH_ONLY_NOTE));
  }

  async respond(ctx: FlowContext): Promise<TurnDecision> {
    const two = await this.twoRequests(ctx);
    const decision = await this.understand(two?.primary ?? ctx);
    if (two?.kind === 'question' && decision.handoff === null) await this.answerAlso(two.question, decision);
    if (two?.kind === 'queued' && decision.handoff === null) await this.queueBehind(two.primary, two.queued, decision);
    const trigger = decision.handoff === null && ctx.message.payload === undefined ? this.trigger(ctx) : null;
    if (trigger?.reason === 'frustration') {
      // An upset customer the bot is helping keeps the answer and hears how to reach a person;
      // one it has nothing for (a greeting back, a guess from the articles) goes to a person.
      const helping = ctx.state.activeFlow !== null || (ctx.nlu.intent !== null && !NEVER_INTERRUPTS.has(ctx.nlu.intent));
      if (!helping) return this.handOff(ctx, trigger);
      decision.replies.unshift({ kind: 'text', text: this.handoffCopy.personOffer });
    }
    const language = ctx.message.payload === undefined ? foreignLanguage(ctx.message.text, this.noteLanguages) : null;
    if (language !== null && decision.handoff === null) {
      decision.replies.unshift({ kind: 'choice', text: ENGLISH_ONLY_NOTE[language]!, options: [this.copy.talkToPerson] });
    }
    return decision;
  }

  /**
   * "cancel 100235 and tell me the return policy": a question asked beside a request is
   * answered in the same turn instead of being dropped. Only a confident pair of different
   * intents, one of them a question the knowledge base answers, is split.
   */
  private async twoRequests(ctx: FlowContext): Promise<TwoRequests | null> {
    const { classify } = this.deps;
    if (classify === undefined || ctx.message.payload !== undefined || detectCommand(ctx.message.text) !== null) return null;
    const answered = await this.answerThenQuestion(ctx, classify);
    if (answered !== null) return answered;
    const parts = splitRequests(ctx.message.text);
    if (parts === null) return null;
    const parsed = await Promise.all(parts.map((text) => classify(text, ctx)));
    const kinds = parsed.map((p) => (p.intent === null || p.outOfScope !== null ? null : this.deps.actions.get(p.intent)?.flow ?? null));
    if (kinds[0] === null || kinds[1] === null || kinds[0] === kinds[1]) return null;
    const part = (i: number, entities: NluResult['entities']): FlowContext => ({ ...ctx, message: { ...ctx.message, text: parts[i]! }, nlu: { ...parsed[i]!, entities } });
    const questionAt = kinds.indexOf('knowledge');
    if (questionAt < 0) {
      // Two tasks ("cancel 100235 and where is 100234"): the first now, the second queued behind it.
      if (kinds.includes('handoff') || this.deps.flows.get(kinds[1]!) === undefined || !soundsLikeRequest(parts[1]!)) return null;
      return { kind: 'queued', primary: part(0, parsed[0]!.entities), queued: { flow: kinds[1]!, text: parts[1]! } };
    }
    if (kinds.lastIndexOf('knowledge') !== questionAt) return null;
    const primaryAt = 1 - questionAt;
    // The whole message's entities for the request: "100235" may sit in either part.
    return { kind: 'question', primary: part(primaryAt, ctx.nlu.entities), question: part(questionAt, parsed[questionAt]!.entities) };
  }

  /**
   * "yes. when do I get my money back?": the answer to the flow's yes/no question, then a
   * question of its own. The flow gets its "yes"; the question is answered beside it.
   */
  private async answerThenQuestion(ctx: FlowContext, classify: NonNullable<DialogueDeps['classify']>): Promise<TwoRequests | null> {
    if (ctx.state.activeFlow === null) return null;
    const lead = YES_NO_LEAD.exec(ctx.message.text);
    const [, answer, question] = lead ?? [];
    if (answer === undefined || question === undefined || !soundsLikeQuestion(question)) return null;
    const [answerNlu, questionNlu] = await Promise.all([classify(answer, ctx), classify(question, ctx)]);
    if (answerNlu.intent !== 'affirm' && answerNlu.intent !== 'deny') return null;
    return {
      kind: 'question',
      primary: { ...ctx, message: { ...ctx.message, text: answer }, nlu: answerNlu },
      question: { ...ctx, message: { ...ctx.message, text: question }, nlu: questionNlu },
    };
  }

  /**
   * The second task of the message waits under the first as a frame holding only its words;
   * when nothing else runs it is started at once, otherwise offered when the first ends.
   */
  private async queueBehind(primary: FlowContext, queued: { flow: string; text: string }, decision: TurnDecision): Promise<void> {
    const at = primary.now.toISOString();
    const after = foldEvents(decision.events, primary.state);
    if (after.activeFlow === null) {
      decision.replies.push(...(await this.takeUp(primary, queued.flow, queued.text, decision.events)));
      return;
    }
    const running = after.activeFlow;
    decision.events.push(
      { at, type: 'flow_suspended', flow: running },
      { at, type: 'flow_started', flow: queued.flow },
      { at, type: 'slot_set', name: QUEUED_TEXT, value: queued.text },
      { at, type: 'flow_suspended', flow: queued.flow },
      { at, type: 'flow_resumed', flow: running },
    );
    decision.replies.unshift({ kind: 'text', text: this.copy.queuedNote(this.copy.flowLabel(queued.flow)) });
  }

  /** Starts the flow of a queued request with its own words, as if just typed; its events join `events`. */
  private async takeUp(ctx: FlowContext, flowName: string, text: string, events: ConversationEvent[]): Promise<TurnDecision['replies']> {
    const flow = this.deps.flows.get(flowName);
    const { classify } = this.deps;
    if (flow === undefined || classify === undefined) return [];
    const state = foldEvents(events, ctx.state);
    const nlu = await classify(text, ctx);
    const started = await flow.handle({ ...ctx, state, message: { ...ctx.message, text, payload: undefined }, nlu }, true);
    events.push(...started.events);
    return started.replies;
  }

  /** Adds the knowledge base's answer to the question asked beside the request; the request's own question stays last. */
  private async answerAlso(question: FlowContext, decision: TurnDecision): Promise<void> {
    const answer = await this.deps.answerUnhandled?.(question, question.nlu.intent);
    if (answer === null || answer === undefined) return;
    const running = foldEvents(decision.events, question.state).activeFlow;
    const passing = answeredInPassing(answer, running, question.now.toISOString());
    decision.events.push(...passing.events);
    if (running !== null) decision.replies.unshift(...passing.replies);
    else decision.replies.push(...passing.replies);
  }

  private async understand(ctx: FlowContext): Promise<TurnDecision> {
    const pressedIntent = payloadValue(ctx, 'intent');
    const resume = payloadValue(ctx, RESUME);
    if (resume !== null) return await this.resume(ctx, resume);
    const drop = payloadValue(ctx, DROP);
    if (drop !== null) return this.drop(ctx, drop);
    if (ctx.message.payload === MENU) return this.menu(new Reply(ctx, null), this.copy.menuIntro).decision();

    const active = ctx.state.activeFlow === null ? undefined : this.deps.flows.get(ctx.state.activeFlow);
    if (active !== undefined && pressedIntent === null && (active.answers?.(ctx) === true || this.answersExpectation(ctx))) {
      return this.after(ctx, await active.handle(ctx, false));
    }
    const command = ctx.message.payload === undefined ? detectCommand(ctx.message.text) : null;
    if (command !== null) return this.command(ctx, command, active);
    if (active !== undefined && pressedIntent === null && isCorrection(ctx)) return this.after(ctx, await active.handle(ctx, false));

    const intent = pressedIntent ?? ctx.nlu.intent;
    if (active !== undefined && !this.interrupts(ctx, intent, active.name)) return this.after(ctx, await active.handle(ctx, false));
    const waiting = active === undefined && pressedIntent === null ? this.waitingFor(ctx, intent) : undefined;
    if (waiting !== undefined) return await this.resume(ctx, waiting);
    if (active === undefined && pressedIntent === null) {
      // "ok and 100235?" is not a pleasantry, whatever the "ok" made the NLU think.
      const followUp = this.followUp(ctx, intent);
      if (followUp !== undefined) return this.after(ctx, await followUp.handle(ctx, true));
    }
    return this.after(ctx, await this.startFor(ctx, intent, active));
  }

  /**
   * "ok back to my return" while that return waits set aside: the same task, taken up where it
   * stopped rather than started again. A message naming an order is a new request of that kind.
   */
  private waitingFor(ctx: FlowContext, intent: string | null): string | undefined {
    const last = ctx.state.suspended.at(-1);
    if (last !== undefined && RESUME_TYPED.test(ctx.message.text) && ctx.message.text.trim().split(/\s+/).length <= 8) return last.flow;
    const flow = intent === null ? undefined : this.deps.actions.get(intent)?.flow;
    if (flow === undefined || !ctx.state.suspended.some((f) => f.flow === flow)) return undefined;
    return ctx.nlu.entities.some((e) => e.type === 'order_number') ? undefined : flow;
  }

  /**
   * "ok and 100235?" right after an order's status or refund: the same question about another
   * order; "and the other one I ordered, the thermostat?" too, whatever a product word made the
   * NLU think. Only a read-only task is taken up again this way; nothing is changed on a guess.
   */
  private followUp(ctx: FlowContext, intent: string | null): Flow | undefined {
    const last = ctx.state.attempts.at(-1);
    if (last === undefined || last.outcome !== 'resolved' || !FOLLOWS_UP.has(last.flow)) return undefined;
    const namesOrder = (intent === null || NEVER_INTERRUPTS.has(intent)) && ctx.nlu.entities.some((e) => e.type === 'order_number');
    if (!namesOrder && !asksAboutOtherOrder(ctx.message.text)) return undefined;
    return this.deps.flows.get(last.flow);
  }

  /** Starts what the intent asks for; a running flow is set aside (a digression), not lost. */
  private async startFor(ctx: FlowContext, intent: string | null, active: Flow | undefined): Promise<TurnDecision> {
    if (intent === null) {
      return (await this.deps.answerUnhandled?.(ctx, null)) ?? this.clarify(ctx);
    }
    const action = this.deps.actions.get(intent);
    const flowName = action?.humanOnly ? 'handoff' : action?.flow;
    const flow = flowName === undefined ? undefined : this.deps.flows.get(flowName);
    if (flow !== undefined && flowName !== 'knowledge' && flowName !== 'handoff' && payloadValue(ctx, 'intent') === null) {
      // "Who pays return shipping?" asks how things work: answered, not a return started.
      const answered = await this.deps.answerQuestion?.(ctx);
      if (answered) return active === undefined ? answered : this.inPassing(ctx, active, answered);
    }
    if (flow !== undefined) {
      if (active !== undefined && IN_PASSING.has(flow.name)) return this.inPassing(ctx, active, await flow.handle(this.withoutFrame(ctx, active), true));
      const decision = await flow.handle(active === undefined ? ctx : this.withoutFrame(ctx, active), true);
      if (active !== undefined) decision.events.unshift(this.suspension(ctx, active, decision));
      return decision;
    }
    if (action !== undefined && action.responses.length > 0) {
      const pick = this.deps.pick ?? ((options: readonly string[]) => options[Math.floor(Math.random() * options.length)]!);
      const reply = new Reply(ctx, null);
      return intent === 'greeting' ? reply.choose(pick(action.responses), this.copy.mainMenu).decision() : reply.say(pick(action.responses)).decision();
    }
    const answered = await this.deps.answerUnhandled?.(ctx, intent);
    return answered ?? this.clarify(ctx);
  }

  /**
   * The active flow set aside while another runs; a hand-off ends it instead (a person takes
   * over, and what was tried is in the log).
   */
  private suspension(ctx: FlowContext, active: Flow, decision: TurnDecision): ConversationEvent {
    const at = ctx.now.toISOString();
    if (decision.handoff !== null) return { at, type: 'flow_ended', flow: active.name, outcome: 'abandoned' };
    return { at, type: 'flow_suspended', flow: active.name };
  }

  /** A question answered in the middle of a flow: the answer, then the flow's question again. */
  private inPassing(ctx: FlowContext, active: Flow, answer: TurnDecision): TurnDecision {
    const { events, replies } = answeredInPassing(answer, active.name, ctx.now.toISOString());
    const prompt = ctx.state.prompt;
    if (prompt !== null) replies.push({ kind: 'text', text: this.copy.backTo(this.copy.flowLabel(active.name)) }, prompt);
    return { ...answer, events, replies };
  }

  /** The state a newly started flow sees: the interrupted flow's frame is not its own. */
  private withoutFrame(ctx: FlowContext, active: Flow): FlowContext {
    return { ...ctx, state: foldEvents([{ at: ctx.now.toISOString(), type: 'flow_suspended', flow: active.name }], ctx.state) };
  }

  /** After any decision: a set-aside flow is offered again once nothing else is running. */
  private after(ctx: FlowContext, decision: TurnDecision): TurnDecision {
    if (decision.handoff !== null) return decision;
    const after = foldEvents(decision.events, ctx.state);
    const endedNow = decision.events.some((e) => e.type === 'flow_ended');
    const waiting = after.suspended.at(-1);
    if (after.activeFlow !== null || waiting === undefined || !endedNow) return decision;
    decision.replies.push(this.resumeOffer(waiting.flow, waiting.slots[QUEUED_TEXT] !== undefined));
    return decision;
  }

  private resumeOffer(flow: string, queued = false): TurnDecision['replies'][number] {
    const label = this.copy.flowLabel(flow);
    return {
      kind: 'choice',
      text: queued ? this.copy.queuedOffer(label) : this.copy.resumeOffer(label),
      options: [
        { label: this.copy.resumeYes, value: `${RESUME}:${flow}` },
        { label: this.copy.resumeNo, value: `${DROP}:${flow}` },
      ],
    };
  }

  private async resume(ctx: FlowContext, flow: string): Promise<TurnDecision> {
    const reply = new Reply(ctx, null);
    const frame = ctx.state.activeFlow === flow ? ctx.state : ctx.state.suspended.find((f) => f.flow === flow);
    if (frame === undefined) return this.menu(reply, this.copy.menuIntro).decision();
    if (ctx.state.activeFlow !== flow) {
      if (ctx.state.activeFlow !== null) reply.events.push({ at: ctx.now.toISOString(), type: 'flow_suspended', flow: ctx.state.activeFlow });
      reply.events.push({ at: ctx.now.toISOString(), type: 'flow_resumed', flow });
    }
    const queuedText = frame.slots[QUEUED_TEXT];
    if (queuedText !== undefined && frame.prompt === null) {
      const decision = reply.decision();
      decision.replies.push(...(await this.takeUp(ctx, flow, queuedText, decision.events)));
      return decision;
    }
    if (frame.prompt === null) return this.menu(reply, this.copy.menuIntro).decision();
    return reply.say(this.copy.backTo(this.copy.flowLabel(flow))).send(frame.prompt).decision();
  }

  private drop(ctx: FlowContext, flow: string): TurnDecision {
    const reply = new Reply(ctx, null);
    if (ctx.state.suspended.some((f) => f.flow === flow)) reply.events.push({ at: ctx.now.toISOString(), type: 'flow_ended', flow, outcome: 'abandoned' });
    return this.menu(reply, this.copy.droppedFlow).decision();
  }

  private async command(ctx: FlowContext, command: GlobalCommand, active: Flow | undefined): Promise<TurnDecision> {
    const at = ctx.now.toISOString();
    const reply = new Reply(ctx, null);
    const end = (flow: string) => reply.events.push({ at, type: 'flow_ended', flow, outcome: 'abandoned' });
    switch (command) {
      case 'cancel': {
        if (active === undefined) {
          const waiting = ctx.state.suspended.at(-1);
          if (waiting !== undefined) end(waiting.flow);
          return this.menu(reply.say(waiting !== undefined ? this.copy.cancelled : this.copy.nothingToCancel), null).decision();
        }
        end(active.name);
        reply.say(this.copy.cancelled);
        const waiting = ctx.state.suspended.at(-1);
        return (waiting !== undefined ? reply.send(this.resumeOffer(waiting.flow, waiting.slots[QUEUED_TEXT] !== undefined)) : this.menu(reply, null)).decision();
      }
      case 'start_over': {
        if (active !== undefined) end(active.name);
        for (const frame of [...ctx.state.suspended].reverse()) end(frame.flow);
        if (active === undefined || active.name === 'handoff') return this.menu(reply, this.copy.startOver).decision();
        // Inside a task, "start over" means that task again from its first question (who the
        // customer is stays verified; what they answered is forgotten), not the menu.
        const restarted = await active.handle({ ...ctx, state: foldEvents(reply.events, ctx.state) }, true);
        return { ...restarted, events: [...reply.events, ...restarted.events], replies: [{ kind: 'text', text: this.copy.startOverFlow(this.copy.flowLabel(active.name)) }, ...restarted.replies] };
      }
      case 'back': {
        if (active === undefined) return this.menu(reply, this.copy.menuIntro).decision();
        const previous = ctx.state.history.filter((m) => m.step !== ctx.state.step).at(-1);
        if (previous === undefined || previous.prompt === null) {
          reply.say(this.copy.firstQuestion);
          return (ctx.state.prompt !== null ? reply.send(ctx.state.prompt) : reply).decision();
        }
        reply.events.push({ at, type: 'flow_back', flow: active.name });
        return reply.say(this.copy.goingBack).send(previous.prompt).decision();
      }
      case 'menu': {
        if (active === undefined) return this.menu(reply, this.copy.menuIntro).decision();
        reply.events.push({ at, type: 'flow_suspended', flow: active.name });
        const resume: ChoiceOption = { label: this.copy.continueFlow(this.copy.flowLabel(active.name)), value: `${RESUME}:${active.name}` };
        return reply.choose(this.copy.menuIntro, [resume, ...this.copy.mainMenu]).decision();
      }
      case 'human': {
        const handoff = this.deps.flows.get('handoff');
        if (handoff === undefined) return this.menu(reply, this.copy.menuIntro).decision();
        const decision = await handoff.handle(active === undefined ? ctx : this.withoutFrame(ctx, active), true);
        if (active !== undefined) decision.events.unshift({ at, type: 'flow_ended', flow: active.name, outcome: 'abandoned' });
        return decision;
      }
      default: {
        const unknown: never = command;
        return unknown;
      }
    }
  }

  private menu(reply: Reply, intro: string | null): Reply {
    return reply.choose(intro ?? this.copy.menuIntro, this.copy.mainMenu);
  }

  /** The flow asked for an order number, email, phone or code, and the message carries it. */
  private answersExpectation(ctx: FlowContext): boolean {
    if (ctx.message.payload !== undefined && payloadValue(ctx, 'intent') === null) return true;
    const expected = ctx.state.expecting;
    const answers = expected === 'order_number' ? IDENTITY_CLAIMS : new Set([expected]);
    if (expected !== null && ctx.nlu.entities.some((e) => answers.has(e.type))) return true;
    if (ctx.state.step !== GATE_STEPS.awaitingCode) return false;
    return typedCode(ctx.message.text) !== null || ABOUT_THE_CODE.test(ctx.message.text);
  }

  private interrupts(ctx: FlowContext, intent: string | null, activeFlow: string): boolean {
    if (intent === null || NEVER_INTERRUPTS.has(intent)) return false;
    if (payloadValue(ctx, 'intent') !== null) return true;
    if (ctx.nlu.outOfScope !== null) return false;
    const action = this.deps.actions.get(intent);
    if (action?.flow === activeFlow) return false;
    // A person is worth interrupting for on less certainty, but never on a guess.
    return ctx.nlu.confidence >= (action?.humanOnly === true ? HUMAN_ONLY_CONFIDENCE : INTERRUPT_CONFIDENCE);
  }

  /** Not sure what the customer wants: the likely options, a person, never a guessed flow. */
  private clarify(ctx: FlowContext): TurnDecision {
    const trigger = this.trigger(ctx);
    if (trigger !== null) return this.handOff(ctx, trigger);
    const reply = new Reply(ctx, null);
    // ctx.state already counts this message: a miss the policy does not hand off offers a person first.
    if (ctx.state.misunderstandings >= 2) {
      return reply.choose(this.copy.stillNotUnderstood, [this.copy.talkToPerson, ...this.copy.mainMenu.slice(0, 3)]).decision();
    }
    const candidates = this.candidates(ctx);
    if (candidates.length > 0) {
      return reply.choose(this.copy.clarify, [...candidates, { label: this.copy.somethingElse, value: MENU }]).decision();
    }
    return reply.choose(this.copy.notUnderstood, this.copy.mainMenu).decision();
  }

  /**
   * The policy's unasked-for handoffs this message meets: frustration, a VIP the bot did not
   * understand, or anyone it misunderstood too often in a row. A message refused as gibberish or another domain's is not a
   * misunderstanding. Asking for a person and human-only intents are handled by their flow.
   */
  private trigger(ctx: FlowContext): HandoffTrigger | null {
    const refused = ctx.nlu.outOfScope !== null && REFUSED.has(ctx.nlu.outOfScope.reason);
    const trigger = this.deps.handoffTrigger?.({
      intent: ctx.nlu.intent,
      sentiment: ctx.nlu.sentiment,
      humanOnly: false,
      misunderstandings: refused ? 0 : ctx.state.misunderstandings,
      vip: ctx.vip === true,
    });
    return trigger !== null && trigger !== undefined && UNASKED.has(trigger.reason) ? trigger : null;
  }

  /** The bot can't help and says so honestly: a person takes over with the whole conversation. */
  private handOff(ctx: FlowContext, trigger: HandoffTrigger): TurnDecision {
    const text = trigger.reason === 'frustration' ? this.handoffCopy.upset : trigger.reason === 'vip_customer' ? this.handoffCopy.vipNotUnderstood : this.handoffCopy.notUnderstood;
    return new Reply(ctx, 'handoff').start().say(text).expect(null).end('handed_off').handoff(trigger.reason, trigger.detail).decision();
  }

  /** Intents near the top of the ranking that have a flow: what a clarifying question offers. */
  private candidates(ctx: FlowContext): ChoiceOption[] {
    if (ctx.nlu.outOfScope?.reason === 'oos_class') return [];
    const top = ctx.nlu.ranking[0]?.confidence ?? 0;
    if (top < 0.25) return [];
    const options: ChoiceOption[] = [];
    for (const scored of ctx.nlu.ranking.slice(0, 3)) {
      if (scored.confidence < top - CLARIFY_MARGIN) continue;
      const label = this.copy.intentLabel(scored.intent);
      if (label !== null && this.deps.actions.get(scored.intent)?.flow !== undefined) options.push({ label, value: `intent:${scored.intent}` });
    }
    return options;
  }
}

/**
 * A knowledge answer given while `running` (if any) waits: that flow is set aside and taken up
 * again around it, and the answer's own frame opens and closes in the same turn (its step,
 * slots and feedback question are dropped, so they never touch the waiting flow).
 */
function answeredInPassing(answer: TurnDecision, running: string | null, at: string): Pick<TurnDecision, 'events' | 'replies'> {
  const answerFlow = answer.events.find((e): e is Extract<ConversationEvent, { type: 'flow_started' }> => e.type === 'flow_started')?.flow;
  const events: ConversationEvent[] = answer.events.filter((e) => e.type !== 'flow_step' && e.type !== 'slot_set');
  if (answerFlow !== undefined && !answer.events.some((e) => e.type === 'flow_ended')) events.push({ at, type: 'flow_ended', flow: answerFlow, outcome: 'resolved' });
  if (running !== null) {
    events.unshift({ at, type: 'flow_suspended', flow: running });
    events.push({ at, type: 'flow_resumed', flow: running });
  }
  return { events, replies: withoutFeedbackQuestion(answer.replies) };
}

/** An answer's own follow-up ("Was this helpful?") would compete with the flow's question. */
function withoutFeedbackQuestion(replies: TurnDecision['replies']): TurnDecision['replies'] {
  return replies.filter((r) => !(r.kind === 'choice' && r.options.some((o) => o.value.startsWith('feedback:'))));
}
