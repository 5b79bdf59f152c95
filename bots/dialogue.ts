import { DIALOGUE_COPY_EN, ENGLISH_ONLY_NOTE } from './copy/dialogue.js';
import { HANDOFF_COPY_EN } from './copy/handoff.js';
import { assertDeclaredState } from './declared-state.js';
import { answerAlso } from './dialogue/in-passing.js';
import type { DialogueDeps, DialogueParts } from './dialogue/deps.js';
import { startFor } from './dialogue/digression.js';
import { runCommand } from './dialogue/global-commands.js';
import { MENU, menu } from './dialogue/menu.js';
import { ENGINE_SLOTS, queueBehind } from './dialogue/queued-request.js';
import { DROP, RESUME, drop, resume, withResumeOffer } from './dialogue/resume.js';
import { handOff, unaskedTrigger } from './dialogue/unasked-handoff.js';
import { Reply, payloadValue, type FlowContext, type TurnDecision } from './flow.js';
import { aboutTheirOrder } from './understanding/about-their-order.js';
import { NEVER_INTERRUPTS } from './understanding/confidence.js';
import { isCorrection } from './understanding/correction.js';
import { answersExpectation } from './understanding/expected-answer.js';
import { detectCommand } from './understanding/global-command.js';
import { interrupts, siblingsLead } from './understanding/interruption.js';
import { foreignLanguage } from './understanding/language.js';
import { requestWithin } from './understanding/request-within.js';
import { followUp, waitingFor } from './understanding/same-task-again.js';
import { twoRequests } from './understanding/two-requests.js';

export type { DialogueDeps } from './dialogue/deps.js';

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
  private readonly parts: DialogueParts;
  private readonly noteLanguages: ReadonlySet<string>;

  constructor(private readonly deps: DialogueDeps) {
    this.parts = { deps, copy: deps.copy ?? DIALOGUE_COPY_EN, handoffCopy: deps.handoffCopy ?? HANDOFF_COPY_EN };
    this.noteLanguages = new Set(Object.keys(ENGLISH_ONLY_NOTE));
  }

  async respond(ctx: FlowContext): Promise<TurnDecision> {
    const decision = await this.decide(ctx);
    assertDeclaredState(decision.events, ctx.state, this.deps.flows, ENGINE_SLOTS);
    return decision;
  }

  /** The message-level readings first (a request within it, two requests), then the fixed order, then what every reply gets. */
  private async decide(ctx: FlowContext): Promise<TurnDecision> {
    const { copy, handoffCopy } = this.parts;
    const heard = aboutTheirOrder(await requestWithin(ctx, this.deps.classify), this.deps);
    const two = await twoRequests(heard, this.deps);
    const decision = await this.understand(two?.primary ?? heard);
    if (two?.kind === 'question' && decision.handoff === null) await answerAlso(this.deps, two.question, decision);
    if (two?.kind === 'queued' && decision.handoff === null) await queueBehind(this.parts, two.primary, two.queued, decision);
    const trigger = decision.handoff === null && ctx.message.payload === undefined ? unaskedTrigger(this.deps, ctx) : null;
    if (trigger?.reason === 'frustration') {
      // An upset customer the bot is helping keeps the answer and hears how to reach a person;
      // one it has nothing for (a greeting back, a guess from the articles) goes to a person.
      const helping = ctx.state.activeFlow !== null || (ctx.nlu.intent !== null && !NEVER_INTERRUPTS.has(ctx.nlu.intent));
      if (!helping) return handOff(handoffCopy, ctx, trigger);
      decision.replies.unshift({ kind: 'text', text: handoffCopy.personOffer });
    }
    const language = ctx.message.payload === undefined ? foreignLanguage(ctx.message.text, this.noteLanguages) : null;
    if (language !== null && decision.handoff === null) {
      decision.replies.unshift({ kind: 'choice', text: ENGLISH_ONLY_NOTE[language]!, options: [copy.talkToPerson] });
    }
    return decision;
  }

  private async understand(ctx: FlowContext): Promise<TurnDecision> {
    const { copy } = this.parts;
    const after = (decision: TurnDecision): TurnDecision => withResumeOffer(copy, ctx, decision);
    const pressedIntent = payloadValue(ctx, 'intent');
    const resumed = payloadValue(ctx, RESUME);
    if (resumed !== null) return await resume(this.parts, ctx, resumed);
    const dropped = payloadValue(ctx, DROP);
    if (dropped !== null) return drop(copy, ctx, dropped);
    if (ctx.message.payload === MENU) return menu(copy, new Reply(ctx, null), copy.menuIntro).decision();

    const active = ctx.state.activeFlow === null ? undefined : this.deps.flows.get(ctx.state.activeFlow);
    if (active !== undefined && pressedIntent === null && (active.answers?.(ctx) === true || answersExpectation(ctx))) {
      return after(await active.handle(ctx, false));
    }
    const command = ctx.message.payload === undefined ? detectCommand(ctx.message.text) : null;
    if (command !== null) return runCommand(this.parts, ctx, command, active);
    if (active !== undefined && pressedIntent === null && isCorrection(ctx)) return after(await active.handle(ctx, false));

    const intent = pressedIntent ?? ctx.nlu.intent ?? siblingsLead(ctx, this.deps.actions);
    if (active !== undefined && !interrupts(ctx, intent, active.name, this.deps.actions)) return after(await active.handle(ctx, false));
    const waiting = active === undefined && pressedIntent === null ? waitingFor(ctx, intent, this.deps) : undefined;
    if (waiting !== undefined) return await resume(this.parts, ctx, waiting);
    if (active === undefined && pressedIntent === null) {
      // "ok and 100235?" is not a pleasantry, whatever the "ok" made the NLU think.
      const again = followUp(ctx, intent, this.deps);
      if (again !== undefined) return after(await again.handle(ctx, true));
    }
    return after(await startFor(this.parts, ctx, intent, active));
  }
}
