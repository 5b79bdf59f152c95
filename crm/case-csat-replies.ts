import { SATISFACTION_COPY_EN, type SatisfactionCopy } from '../bots/copy/satisfaction.js';
import type { DialogueManager } from '../bots/dialogue.js';
import { Reply, type FlowContext, type TurnDecision } from '../bots/flow.js';
import { isNothingToAdd, scoreOf } from '../bots/satisfaction.js';
import { COMMENT_INTENTS } from '../bots/turn.js';
import type { CaseSatisfaction } from './case-csat.js';

/** The channels a case's question goes out on, and the address a message from them comes from. */
const TRANSPORT_OF: Partial<Record<FlowContext['channel'], 'sms' | 'email'>> = { sms: 'sms', email: 'email' };

/**
 * In front of the dialogue: a message that answers a resolved case's satisfaction question
 * (crm/case-csat.ts) sent to this SMS number (or email address) is recorded on the case — a
 * rating ("4", "five", ⭐⭐⭐⭐) while one is awaited, then an optional comment. Anything that is
 * not an answer, a new request above all, goes to the dialogue as before; so does every message
 * while nothing is awaited. The conversation survey (bots/satisfaction.ts) answers its own
 * resolved conversation before the dialogue is reached, so the two never compete.
 */
export class CaseSatisfactionReplies implements Pick<DialogueManager, 'respond'> {
  constructor(
    private readonly deps: {
      dialogue: Pick<DialogueManager, 'respond'>;
      csat: Pick<CaseSatisfaction, 'awaitingReply' | 'rate' | 'comment'>;
      copy?: SatisfactionCopy;
    },
  ) {}

  async respond(ctx: FlowContext): Promise<TurnDecision> {
    const answered = await this.answer(ctx);
    return answered ?? this.deps.dialogue.respond(ctx);
  }

  private async answer(ctx: FlowContext): Promise<TurnDecision | null> {
    const transport = TRANSPORT_OF[ctx.channel];
    if (transport === undefined) return null;
    const address = transport === 'email' ? ctx.message.senderId.toLowerCase() : ctx.message.senderId;
    const awaiting = await this.deps.csat.awaitingReply(transport, address);
    if (awaiting === null) return null;
    const copy = this.deps.copy ?? SATISFACTION_COPY_EN;
    const reply = new Reply(ctx, null);
    const score = scoreOf(ctx.message);
    if (awaiting.awaits === 'rating') {
      if (score === null) return null;
      await this.deps.csat.rate(awaiting.row.id, score, null, transport);
      return reply.choose(copy.askComment(score), [copy.nothingToAdd]).decision();
    }
    // The rating again (a retried message, a second tap): acknowledged, not taken as a comment.
    if (score !== null) return reply.choose(copy.askComment(awaiting.row.score ?? score), [copy.nothingToAdd]).decision();
    if (isNothingToAdd(ctx.message, copy)) {
      await this.deps.csat.comment(awaiting.row.id, null, transport);
      return reply.say(copy.thanks).decision();
    }
    const text = ctx.message.text.trim();
    const isRequest = ctx.nlu.intent !== null && ctx.nlu.outOfScope === null && !COMMENT_INTENTS.has(ctx.nlu.intent);
    if (ctx.message.payload !== undefined || isRequest || text === '') return null;
    await this.deps.csat.comment(awaiting.row.id, text.slice(0, 2000), transport);
    return reply.say(copy.thanks).decision();
  }
}
