import { degradeToText, type ChoiceOption, type OutboundMessage } from '../core/message.js';
import type { TurnOutcome } from '../core/turn-outcome.js';
import { renderFor } from '../channels/degrade.js';
import { TEST_CHANNEL_CAPABILITIES } from '../channels/test-channel/index.js';
import { WEBCHAT_CAPABILITIES } from '../channels/webchat/connector.js';
import { plainText } from './conversation-outcome.js';

/**
 * The two kinds of channel a conversation can run on: the web chat (buttons, cards) and a
 * text-only channel (the loopback test channel: choices arrive as numbered lines and the customer
 * types a number or a label).
 */
export type HarnessChannel = 'webchat' | 'text';

/** What the customer saw after one message. */
export interface TurnResult {
  kind: TurnOutcome['kind'];
  /** The replies as the bot stored them. */
  replies: OutboundMessage[];
  /** The replies as this channel shows them: rendered for its capabilities. */
  shown: string[];
  /** `shown` as one string, for patterns. */
  text: string;
  /** The buttons of the newest choice shown (none on a text-only channel). */
  buttons: ChoiceOption[];
}

/** A customer's message on its way: await it, or assert on the reply in the same line. */
export class SentTurn implements PromiseLike<TurnResult> {
  constructor(private readonly result: Promise<TurnResult>) {}

  then<A = TurnResult, B = never>(onFulfilled?: ((value: TurnResult) => A | PromiseLike<A>) | null, onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null): PromiseLike<A | B> {
    return this.result.then(onFulfilled, onRejected);
  }

  /** Fails, quoting what the bot said, unless the reply matches. */
  async expectReply(pattern: RegExp | string): Promise<TurnResult> {
    const result = await this.result;
    if (!matches(result.text, pattern)) throw new Error(`expected a reply matching ${String(pattern)}; the bot said:\n${result.text || '(nothing)'}`);
    return result;
  }

  /** Fails, quoting what the bot said, if the reply matches (what must not happen). */
  async expectNoReplyLike(pattern: RegExp | string): Promise<TurnResult> {
    const result = await this.result;
    if (matches(result.text, pattern)) throw new Error(`expected no reply matching ${String(pattern)}; the bot said:\n${result.text}`);
    return result;
  }
}

function matches(text: string, pattern: RegExp | string): boolean {
  return (typeof pattern === 'string' ? new RegExp(pattern, 'i') : pattern).test(text);
}

/** The replies as the customer sees them on this channel: rendered for its capabilities, as its sender does. */
export function rendered(kind: TurnOutcome['kind'], replies: OutboundMessage[], channel: HarnessChannel): TurnResult {
  const shown =
    channel === 'webchat'
      ? replies.flatMap((r) => renderFor(r, WEBCHAT_CAPABILITIES)).map(plainText)
      : replies.flatMap((r) => renderFor(r, TEST_CHANNEL_CAPABILITIES)).map((part) => (part.kind === 'text' ? part.text : degradeToText(part)));
  const choice = channel === 'webchat' ? replies.findLast((r) => r.kind === 'choice') : undefined;
  return { kind, replies, shown, text: shown.join('\n'), buttons: choice?.kind === 'choice' ? choice.options : [] };
}

/** The newest numbered list ("1. Solid red") among the parts the customer saw. */
export function numberedOptions(shown: readonly string[]): Array<{ number: string; label: string }> {
  for (const part of [...shown].reverse()) {
    const listed = part.split('\n').flatMap((line) => {
      const m = /^(\d{1,2})\. (.+)$/.exec(line.trim());
      return m === null ? [] : [{ number: m[1] as string, label: m[2] as string }];
    });
    if (listed.length > 0) return listed;
  }
  return [];
}
