import type twilio from 'twilio';
import { DeliveryError, type ChannelSender, type DeliveryAddress, type DeliveryReceipt, type SendContext } from '../../core/channel.js';
import { degradeToText, type OutboundKind, type OutboundMessage } from '../../core/message.js';
import { TWILIO_OUTSIDE_WINDOW, TWILIO_UNSUBSCRIBED, type TwilioChannelPolicy } from './channel-policy.js';
import { classifyTwilioFailure } from './rest-failure.js';
import type { TwilioSender } from './sms-notifier.js';
import type { TwimlReplies } from './twiml-replies.js';

export interface TwilioSenderLogger {
  warn(obj: object, msg: string): void;
}

export interface TwilioChannelSenderOptions {
  channel: 'sms' | 'whatsapp';
  client: twilio.Twilio;
  /** SMS: the Messaging Service or number. WhatsApp: TWILIO_WHATSAPP_FROM (`whatsapp:+…`). */
  from: TwilioSender;
  /** PUBLIC_URL/channels/twilio/status: where Twilio reports what became of each message. */
  statusCallback: () => string;
  /** The reply as the messages it becomes (SMS: sms-parts.ts; WhatsApp: up to 1,600 characters each). */
  parts: (text: string) => string[];
  replies: TwimlReplies;
  policy: TwilioChannelPolicy;
  log: TwilioSenderLogger;
}

/**
 * Replies on SMS or WhatsApp through Twilio. In order: a number that opted out gets nothing
 * (refused as `opted_out`, never retried); on WhatsApp, outside the 24-hour window nothing
 * free-form leaves (refused with Twilio's own 63016); a webhook of this customer still waiting
 * within its budget takes the reply as TwiML; otherwise Messages.create with the official
 * client, one message per part. Twilio takes no idempotency key, so an unknown outcome is not
 * repeated.
 */
export class TwilioChannelSender implements ChannelSender {
  readonly channel: 'sms' | 'whatsapp';
  readonly renders: ReadonlySet<OutboundKind> = new Set<OutboundKind>(['text']);
  readonly dedupesByIdempotencyKey = false;

  constructor(private readonly options: TwilioChannelSenderOptions) {
    this.channel = options.channel;
  }

  async send(address: DeliveryAddress, message: OutboundMessage, context: SendContext): Promise<DeliveryReceipt> {
    const { policy, channel } = { policy: this.options.policy, channel: this.channel };
    if (await policy.isOptedOut(channel, address.senderId)) throw optedOut();
    if (channel === 'whatsapp' && !(await policy.windowOpen(channel, this.fromAddress(), address.senderId))) {
      throw new DeliveryError({ kind: 'rejected', providerCode: TWILIO_OUTSIDE_WINDOW });
    }
    const parts = this.options.parts(message.kind === 'text' ? message.text : degradeToText(message));
    if (parts.length === 0) throw new DeliveryError({ kind: 'rejected', providerCode: null });
    const pending = this.options.replies.offer(channel, address.senderId, parts);
    // Twilio gives TwiML replies their own SIDs, which we never see: ours names the webhook and the reply.
    if (pending !== null) return { providerMessageId: `twiml:${pending.inboundSid}:${context.seq}` };
    return this.sendByRest(address, parts);
  }

  private async sendByRest(address: DeliveryAddress, parts: readonly string[]): Promise<DeliveryReceipt> {
    const to = this.channel === 'whatsapp' ? `whatsapp:${address.senderId}` : address.senderId;
    const from = this.options.from.kind === 'messaging_service' ? { messagingServiceSid: this.options.from.sid } : { from: this.options.from.from };
    let first: DeliveryReceipt | null = null;
    for (const [i, body] of parts.entries()) {
      try {
        const sent = await this.options.client.messages.create({ to, body, statusCallback: this.options.statusCallback(), ...from });
        first ??= { providerMessageId: sent.sid };
      } catch (error) {
        const failure = classifyTwilioFailure(error);
        if (failure.kind === 'rejected' && failure.providerCode === TWILIO_UNSUBSCRIBED) {
          // The carrier or Twilio knows the number opted out (perhaps by a STOP we never saw): so do we now.
          await this.options.policy.recordOptOut(this.channel, address.senderId, `twilio_${TWILIO_UNSUBSCRIBED}`);
          if (first === null) throw optedOut(error);
        }
        // Nothing was sent yet: the queue decides (retry a 429/5xx, give up a rejection).
        if (first === null) throw new DeliveryError(failure, { cause: error });
        // Some parts went out: the message counts as sent (repeating it would repeat those); the rest is logged.
        this.options.log.warn({ conversationId: address.conversationId, channel: this.channel, partsSent: i, parts: parts.length, reason: failure.kind }, 'a later part of a Twilio reply was not sent');
        return first;
      }
    }
    if (first === null) throw new DeliveryError({ kind: 'rejected', providerCode: null });
    return first;
  }

  private fromAddress(): string {
    return this.options.from.kind === 'number' ? this.options.from.from : this.options.from.sid;
  }
}

function optedOut(cause?: unknown): DeliveryError {
  return new DeliveryError({ kind: 'rejected', providerCode: TWILIO_UNSUBSCRIBED, optedOut: true }, cause === undefined ? undefined : { cause });
}
