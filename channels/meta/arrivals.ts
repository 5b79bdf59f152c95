import type { AcceptedInbound, InboundQueue } from '../../core/channel.js';
import type { ChannelInbound } from '../../core/inbound.js';

/** What a Meta connector learns about a message besides its normalized form. */
export interface Arrival {
  /** The number or page the customer wrote to (WhatsApp phone-number id, page id, Instagram account id). */
  business: string;
  /** Meta's time of the message (never later than we received it): the messaging window starts here. */
  sentAt: Date;
  /** A second id of the same sender (the business-scoped user id beside the wa_id). */
  alias?: string;
}

// Keyed by the parsed message object itself, which the registry hands from `parse` to the queue
// unchanged: nothing is kept once the request is done.
const arrivals = new WeakMap<ChannelInbound, Arrival>();

export function noteArrival(message: ChannelInbound, arrival: Arrival): void {
  arrivals.set(message, arrival);
}

export interface ArrivalRecorder {
  /** Moves the messaging window of (channel, business, customer) forward (channels/messaging-window.ts). */
  window(message: ChannelInbound, arrival: Arrival): Promise<void>;
  /** Records `alias` as another identity of the message's contact. */
  alias(message: ChannelInbound, alias: string): Promise<void>;
}

/**
 * The inbound queue of a Meta connector: messages are stored and queued as every channel's are;
 * once they are durable (accepted now or by an earlier delivery) the customer's window moves and
 * a second id is linked. A window is only ever moved by a message we hold.
 */
export function recordingArrivals(queue: InboundQueue, recorder: ArrivalRecorder): InboundQueue {
  return {
    async accept(messages: readonly ChannelInbound[]): Promise<Array<{ providerMessageId: string; result: AcceptedInbound }>> {
      const results = await queue.accept(messages);
      for (const [i, message] of messages.entries()) {
        const arrival = arrivals.get(message);
        if (arrival === undefined || results[i]?.result === 'echo') continue;
        await recorder.window(message, arrival);
        if (arrival.alias !== undefined) await recorder.alias(message, arrival.alias);
      }
      return results;
    },
  };
}
