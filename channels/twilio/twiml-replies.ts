import type { ChannelName } from '../../core/message.js';

/** One inbound message's webhook, waiting for the replies of its turn to answer them as TwiML. */
export interface PendingTwimlReply {
  readonly inboundSid: string;
  /** The reply parts handed over so far, in order; each becomes one `<Message>`. */
  readonly parts: string[];
}

/**
 * Where a webhook waiting within its budget meets the sender of this instance. The turn runs
 * from the durable queue as always; when its reply reaches this instance's sender while the
 * webhook still waits, the sender hands the text over instead of calling the REST API, and the
 * webhook answers with it. Handing over and closing are synchronous, so a reply is either in the
 * TwiML or sent by REST, never both and never neither. A reply delivered by another instance, or
 * after the budget, simply goes out by REST.
 */
export class TwimlReplies {
  private readonly waiting = new Map<string, PendingTwimlReply>();

  /** Opens the wait for `address`; null when a webhook of the same customer already waits (its replies are its own). */
  open(channel: ChannelName, address: string, inboundSid: string): PendingTwimlReply | null {
    const key = keyOf(channel, address);
    if (this.waiting.has(key)) return null;
    const pending: PendingTwimlReply = { inboundSid, parts: [] };
    this.waiting.set(key, pending);
    return pending;
  }

  /** The sender's side: true when a webhook took the parts (they are answered as TwiML). */
  offer(channel: ChannelName, address: string, parts: readonly string[]): PendingTwimlReply | null {
    const pending = this.waiting.get(keyOf(channel, address));
    if (pending === undefined) return null;
    pending.parts.push(...parts);
    return pending;
  }

  /** Ends the wait: from now on the customer's replies go by REST. Returns the parts to answer with. */
  close(channel: ChannelName, address: string, pending: PendingTwimlReply): string[] {
    const key = keyOf(channel, address);
    if (this.waiting.get(key) === pending) this.waiting.delete(key);
    return [...pending.parts];
  }
}

function keyOf(channel: ChannelName, address: string): string {
  return `${channel}\u0000${address}`;
}
