import type twilio from 'twilio';
import { DeliveryError, type ChannelSender, type DeliveryAddress, type DeliveryReceipt, type SendContext } from '../../core/channel.js';
import { degradeToText, type OutboundKind, type OutboundMessage, type TemplateUse } from '../../core/message.js';
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
  /**
   * WhatsApp: the Twilio Content SID of each template use (channels/meta/templates.yaml
   * `contentSid`); null for a use without one. Unset: no templates (SMS).
   */
  contentSid?: (use: TemplateUse) => string | null;
}

/**
 * Replies on SMS or WhatsApp through Twilio. In order: a number that opted out gets nothing
 * (refused as `opted_out`, never retried); on WhatsApp a template goes by REST as its Content
 * SID and variables (what WhatsApp allows outside the window); outside the 24-hour window
 * nothing free-form leaves (refused with Twilio's own 63016); a webhook of this customer still waiting
 * within its budget takes the reply as TwiML; otherwise Messages.create with the official
 * client, one message per part. Twilio takes no idempotency key, so an unknown outcome is not
 * repeated.
 */
export class TwilioChannelSender implements ChannelSender {
  readonly channel: 'sms' | 'whatsapp';
  readonly renders: ReadonlySet<OutboundKind>;
  readonly dedupesByIdempotencyKey = false;

  constructor(private readonly options: TwilioChannelSenderOptions) {
    this.channel = options.channel;
    // SMS has no templates: the delivery worker sends a template's filled text there.
    this.renders = new Set<OutboundKind>(options.channel === 'whatsapp' && options.contentSid !== undefined ? ['text', 'template'] : ['text']);
  }

  async send(address: DeliveryAddress, message: OutboundMessage, context: SendContext): Promise<DeliveryReceipt> {
    const { policy, channel } = { policy: this.options.policy, channel: this.channel };
    if (await policy.isOptedOut(channel, address.senderId)) throw optedOut();
    if (message.kind === 'template' && channel === 'whatsapp') return this.sendTemplate(address, message);
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

  /**
   * Twilio's Content API: the approved template's SID and its variables `{"1": …, "2": …}` in
   * the order of `parameters`; never by TwiML, which carries no templates.
   */
  private async sendTemplate(address: DeliveryAddress, message: Extract<OutboundMessage, { kind: 'template' }>): Promise<DeliveryReceipt> {
    const contentSid = this.options.contentSid?.(message.use) ?? null;
    if (contentSid === null) throw new DeliveryError({ kind: 'rejected', providerCode: null });
    const contentVariables = JSON.stringify(Object.fromEntries(message.parameters.map((value, i) => [String(i + 1), value])));
    try {
      const sent = await this.options.client.messages.create({ to: this.toAddress(address), contentSid, contentVariables, statusCallback: this.options.statusCallback(), ...this.fromFields() });
      return { providerMessageId: sent.sid };
    } catch (error) {
      throw await this.refusal(address, error);
    }
  }

  private async sendByRest(address: DeliveryAddress, parts: readonly string[]): Promise<DeliveryReceipt> {
    const to = this.toAddress(address);
    const from = this.fromFields();
    let first: DeliveryReceipt | null = null;
    for (const [i, body] of parts.entries()) {
      try {
        const sent = await this.options.client.messages.create({ to, body, statusCallback: this.options.statusCallback(), ...from });
        first ??= { providerMessageId: sent.sid };
      } catch (error) {
        if (first === null) throw await this.refusal(address, error);
        const failure = classifyTwilioFailure(error);
        if (failure.kind === 'rejected' && failure.providerCode === TWILIO_UNSUBSCRIBED) await this.recordUnsubscribed(address);
        // Some parts went out: the message counts as sent (repeating it would repeat those); the rest is logged.
        this.options.log.warn({ conversationId: address.conversationId, channel: this.channel, partsSent: i, parts: parts.length, reason: failure.kind }, 'a later part of a Twilio reply was not sent');
        return first;
      }
    }
    if (first === null) throw new DeliveryError({ kind: 'rejected', providerCode: null });
    return first;
  }

  /** What a failed first send becomes: 21610 is recorded and refused as opted out; else the queue decides (retry a 429/5xx, give up a rejection). */
  private async refusal(address: DeliveryAddress, error: unknown): Promise<DeliveryError> {
    const failure = classifyTwilioFailure(error);
    if (failure.kind === 'rejected' && failure.providerCode === TWILIO_UNSUBSCRIBED) {
      await this.recordUnsubscribed(address);
      return optedOut(error);
    }
    return new DeliveryError(failure, { cause: error });
  }

  /** The carrier or Twilio knows the number opted out (perhaps by a STOP we never saw): so do we now. */
  private async recordUnsubscribed(address: DeliveryAddress): Promise<void> {
    await this.options.policy.recordOptOut(this.channel, address.senderId, `twilio_${TWILIO_UNSUBSCRIBED}`);
  }

  private toAddress(address: DeliveryAddress): string {
    return this.channel === 'whatsapp' ? `whatsapp:${address.senderId}` : address.senderId;
  }

  private fromFields(): { messagingServiceSid: string } | { from: string } {
    return this.options.from.kind === 'messaging_service' ? { messagingServiceSid: this.options.from.sid } : { from: this.options.from.from };
  }

  private fromAddress(): string {
    return this.options.from.kind === 'number' ? this.options.from.from : this.options.from.sid;
  }
}

function optedOut(cause?: unknown): DeliveryError {
  return new DeliveryError({ kind: 'rejected', providerCode: TWILIO_UNSUBSCRIBED, optedOut: true }, cause === undefined ? undefined : { cause });
}
