import type { CustomerChannel } from '../core/message.js';
import type { ConversationState } from '../core/conversation-state.js';
import type { ChannelName } from '../core/message.js';
import type { ConsentChange } from '../db/consents.js';
import { PROACTIVE_COPY } from '../channels/proactive/notice-copy.js';

const GRANT = /\b(?:(?:text|sms|message|email|e-?mail|whatsapp)\s+me\s+(?:order\s+|delivery\s+|shipping\s+)?(?:updates|notifications)|(?:send|give)\s+me\s+(?:order\s+|delivery\s+|shipping\s+)?(?:updates|notifications)(?:\s+by\s+(?:text|sms|email|e-?mail|whatsapp))?|keep\s+me\s+(?:posted|updated)|(?:subscribe|sign\s+me\s+up)\s+(?:to|for)\s+(?:order\s+)?updates)\b/i;
const WITHDRAW = /\b(?:(?:stop|no\s+more|unsubscribe(?:\s+me)?(?:\s+from)?|cancel)\s+(?:the\s+|these\s+|order\s+|delivery\s+|shipping\s+)*(?:updates|notifications)|stop\s+(?:texting|messaging|emailing)\s+me\s+(?:order\s+)?updates|(?:don'?t|do\s+not)\s+(?:text|message|email)\s+me\s+(?:order\s+)?updates)\b/i;

const LABEL: Readonly<Record<CustomerChannel, string>> = { sms: 'text message', whatsapp: 'WhatsApp', email: 'email', webchat: 'chat', teams: 'Teams', messenger: 'Messenger', instagram: 'Instagram' };

export type ConsentCommand = { granted: boolean; channel: CustomerChannel };

/**
 * "Text me updates" / "stop updates" in a conversation, on which channel: the one named ("email
 * me updates"), else the one the customer writes on when it can carry a notice; from web chat, a
 * text. "Stop texting me" alone is no command (on SMS a whole-message STOP is the carrier keyword).
 */
export function consentCommand(text: string, channel: ChannelName): ConsentCommand | null {
  const withdraw = WITHDRAW.test(text);
  const grant = !withdraw && GRANT.test(text);
  if (!withdraw && !grant) return null;
  const named = /\b(?:e-?mail)\b/i.test(text) ? 'email' : /\bwhatsapp\b/i.test(text) ? 'whatsapp' : /\b(?:text|sms)\b/i.test(text) ? 'sms' : null;
  const own: CustomerChannel = channel === 'whatsapp' ? 'whatsapp' : channel === 'email' ? 'email' : 'sms';
  return { granted: grant, channel: named ?? own };
}

/** The consent change to record and what to say, for a customer the conversation knows (verified or matched by phone). */
export function consentReply(command: ConsentCommand, state: ConversationState, conversationId: string, at: Date): { change: ConsentChange | null; text: string } {
  const customerId = state.identity.level === 'anonymous' ? state.verifiedCustomerId : state.identity.customerId;
  if (customerId === null) return { change: null, text: PROACTIVE_COPY.consentNeedsCustomer };
  const label = LABEL[command.channel];
  return {
    change: { customerId, channel: command.channel, granted: command.granted, at, source: 'conversation', conversationId },
    text: command.granted ? PROACTIVE_COPY.consentGranted(label) : PROACTIVE_COPY.consentWithdrawn(label),
  };
}
