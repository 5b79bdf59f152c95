import type { ConsentChange } from '../db/consents.js';
import type { DialogueManager } from './dialogue.js';
import { Reply, type FlowContext, type TurnDecision } from './flow.js';
import { phoneMatchEvents, type PhoneDirectory } from './phone-identity.js';
import { foldEvents } from './state.js';
import { consentCommand, consentReply } from './update-consent.js';

export interface WhoIsWritingDeps {
  dialogue: Pick<DialogueManager, 'respond'>;
  phones: Pick<PhoneDirectory, 'match'>;
  /** Records a consent the customer gave or withdrew in the conversation (db/consents.ts). */
  recordConsent(change: ConsentChange): Promise<void>;
  /** Whether a customer's profile is marked VIP (the handoff policy treats them sooner and higher). */
  isVip?: (customerId: string) => Promise<boolean>;
}

/**
 * In front of the dialogue: first who is writing (a phone number on file for exactly one
 * customer makes the conversation `phone_matched`; whether who it identified is a VIP), then the consent commands ("text me
 * updates", "stop updates"), which need a known customer; everything else goes to the dialogue
 * on the state the match produced.
 */
export class WhoIsWriting implements Pick<DialogueManager, 'respond'> {
  constructor(private readonly deps: WhoIsWritingDeps) {}

  async respond(ctx: FlowContext): Promise<TurnDecision> {
    const matched = await phoneMatchEvents(this.deps.phones, { channel: ctx.channel, senderId: ctx.message.senderId, identity: ctx.state.identity, at: ctx.now.toISOString() });
    const state = matched.length === 0 ? ctx.state : foldEvents(matched, ctx.state);
    const customerId = state.identity.level === 'anonymous' ? null : state.identity.customerId;
    const vip = customerId !== null && this.deps.isVip !== undefined ? await this.deps.isVip(customerId) : false;
    const identified: FlowContext = { ...ctx, state, vip };
    const command = ctx.message.payload === undefined ? consentCommand(ctx.message.text, ctx.channel) : null;
    if (command !== null) {
      const { change, text } = consentReply(command, identified.state, ctx.conversationId, ctx.now);
      if (change !== null) await this.deps.recordConsent(change);
      const decision = new Reply(identified, null).say(text).decision();
      return { ...decision, events: [...matched, ...decision.events] };
    }
    const decision = await this.deps.dialogue.respond(identified);
    return { ...decision, events: [...matched, ...decision.events] };
  }
}
