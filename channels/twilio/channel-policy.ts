import type { ChannelName } from '../../core/message.js';

/**
 * What the Twilio channel records and asks about a customer's number, implemented by the server
 * over the database (db/channel-opt-outs.ts, channels/messaging-window.ts): channels reach the
 * rest only through such interfaces.
 */
export interface TwilioChannelPolicy {
  isOptedOut(channel: ChannelName, address: string): Promise<boolean>;
  /** `source`: the keyword, or `twilio_21610` when Twilio reported the number unsubscribed. */
  recordOptOut(channel: ChannelName, address: string, source: string): Promise<void>;
  recordOptIn(channel: ChannelName, address: string, source: string): Promise<void>;
  /** WhatsApp's 24-hour customer-service window, per (our WhatsApp sender, customer). */
  recordInbound(channel: ChannelName, business: string, customer: string, at: Date): Promise<void>;
  windowOpen(channel: ChannelName, business: string, customer: string): Promise<boolean>;
  /**
   * True once the turn of this inbound message ran and every reply it produced left the queue
   * (handed over as TwiML or sent): the webhook may answer.
   */
  repliesSettled(channel: ChannelName, address: string, inboundSid: string): Promise<boolean>;
}

/** Twilio's error for a message to a number that replied STOP. */
export const TWILIO_UNSUBSCRIBED = '21610';
/** Twilio's error for a free-form WhatsApp message outside the 24-hour window. */
export const TWILIO_OUTSIDE_WINDOW = '63016';
