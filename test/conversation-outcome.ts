import type { ConversationEvent, ConversationStatus } from '../core/conversation.js';

/** How a flow the conversation ran ended; `open` while it still waits for the customer. */
export type FlowEnding = 'resolved' | 'abandoned' | 'handed_off' | 'failed' | 'open';

/** What a conversation came to, read from its event log: the one place that interprets the log for the harness and the bench. */
export interface ConversationOutcome {
  status: ConversationStatus;
  /** Every flow in the order it started, with how it ended. */
  flows: Array<{ flow: string; ending: FlowEnding }>;
  /** The first hand-off to a person: the reason the bot gave and the issue type it triaged. */
  handoff: { reason: string; issueType: string | null } | null;
  verifiedCustomerId: string | null;
  /** The bot's replies as plain text, in order (choices with their options, cards with their link). */
  botSaid: string[];
}

/**
 * Folds the stored log into an outcome. Only events that every version of the dialogue engine
 * records are read: flow starts and ends, status changes (the one transition function writes
 * them), triage, verification and what was said.
 */
export function outcomeOf(events: readonly ConversationEvent[]): ConversationOutcome {
  const outcome: ConversationOutcome = { status: 'bot', flows: [], handoff: null, verifiedCustomerId: null, botSaid: [] };
  for (const event of events) {
    switch (event.type) {
      case 'flow_started':
        outcome.flows.push({ flow: event.flow, ending: 'open' });
        break;
      case 'flow_ended': {
        const open = outcome.flows.findLast((f) => f.flow === event.flow && f.ending === 'open');
        if (open !== undefined) open.ending = event.outcome;
        // A flow that ends in the turn it started may record no start of its own.
        else outcome.flows.push({ flow: event.flow, ending: event.outcome });
        break;
      }
      case 'status_changed':
        outcome.status = event.to;
        if (outcome.handoff === null && event.from === 'bot' && (event.to === 'queued' || event.to === 'assigned')) {
          outcome.handoff = { reason: event.reason, issueType: null };
        }
        // Back with the bot (the customer left the queue, an agent returned it): the handoff is over.
        if (event.to === 'bot' && event.from !== 'resolved') outcome.handoff = null;
        break;
      case 'triaged':
        if (outcome.handoff !== null && outcome.handoff.issueType === null) outcome.handoff.issueType = event.issueType;
        break;
      case 'customer_verified':
        outcome.verifiedCustomerId = event.customerId;
        break;
      case 'said':
        if (event.author === 'bot') outcome.botSaid.push(plainText(event.message));
        break;
      default:
        break;
    }
  }
  return outcome;
}

type SaidMessage = Extract<ConversationEvent, { type: 'said' }>['message'];

/** A reply as one string a pattern can be matched against, whatever its kind. */
export function plainText(message: SaidMessage): string {
  switch (message.kind) {
    case 'text':
      return message.text;
    case 'choice':
      return `${message.text}\n${message.options.map((o) => o.label).join(' | ')}`;
    case 'card':
      return [message.title, message.text, message.link?.url ?? ''].filter((part) => part !== '').join('\n');
    case 'media':
      return message.caption ?? message.url;
    case 'location':
      return message.name ?? `${message.latitude},${message.longitude}`;
    case 'template':
      return message.text;
    default: {
      const unknown: never = message;
      return String(unknown);
    }
  }
}
