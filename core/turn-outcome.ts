import type { InboundMessage, OutboundMessage } from './message.js';

/** Why a turn was refused and when the customer may try again. */
export interface TurnThrottle {
  retryAfterSeconds: number;
  /** What the customer reads (the 429's message on HTTP channels). */
  notice: string;
}

/** A reply the turn stored, at its seq in the conversation's log. */
export interface SentReply {
  seq: number;
  message: OutboundMessage;
}

/** What became of one inbound message: what a channel answers its client or provider with. */
export type TurnOutcome =
  | { kind: 'duplicate' }
  | { kind: 'answered'; conversationId: string; replies: SentReply[]; userSeq: number }
  /** An agent holds the conversation: the message was stored and relayed, the bot stayed quiet. */
  | { kind: 'relayed'; conversationId: string; userSeq: number }
  /**
   * Answered, but the message was an attempt the bot refused for now (a code while verification
   * is paused): HTTP channels answer 429 with Retry-After; the replies are stored and pushed.
   */
  | { kind: 'throttled'; conversationId: string; replies: SentReply[]; userSeq: number; throttle: TurnThrottle };

/**
 * Where a channel hands a normalized inbound message: the bot's turn (bots/turn.ts). Channels
 * know this interface only, never the turn's implementation.
 */
export interface InboundTurns {
  handle(message: InboundMessage): Promise<TurnOutcome>;
}
