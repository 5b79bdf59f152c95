import type { ConversationEvent } from '../../core/conversation.js';
import type { Author, OutboundMessage } from '../../core/message.js';

/** What the widget shows for one transcript entry. */
export interface WebchatEntry {
  seq: number;
  author: Author;
  message: OutboundMessage;
}

/** The customer-visible part of the event log: what was said, never slots or NLU data. */
export function toWebchatEntry(seq: number, event: ConversationEvent): WebchatEntry | null {
  switch (event.type) {
    case 'user_said':
      return { seq, author: 'customer', message: { kind: 'text', text: event.text || event.payload || '' } };
    case 'said':
      return { seq, author: event.author, message: event.message };
    default:
      return null;
  }
}
