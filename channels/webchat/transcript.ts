import { z } from 'zod';
import type { ConversationEvent } from '../../core/conversation.js';
import { AuthorSchema, OutboundMessageSchema } from '../../core/message.js';

/** What the widget shows for one transcript entry. */
export const WebchatEntrySchema = z.object({
  seq: z.number().int().meta({ description: 'Position in the conversation; the widget de-duplicates and orders by it.' }),
  author: AuthorSchema,
  message: OutboundMessageSchema,
});
export type WebchatEntry = z.infer<typeof WebchatEntrySchema>;

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
