import type twilio from 'twilio';
import { DeliveryError } from '../../core/channel.js';
import type { Notification, NotificationReceipt, Notifier } from '../../core/notifier.js';
import { twilioDeliveryError } from './rest-failure.js';

/** Who SMS come from: a Messaging Service (Twilio picks a number of its pool) or one number. */
export type TwilioSender = { kind: 'messaging_service'; sid: string } | { kind: 'number'; from: string };

/**
 * SMS notifications (one-time codes to the phone on file) through Twilio's Messages API with the
 * official client. Twilio takes no idempotency key for a new message, so a send whose answer
 * was lost is reported as an unknown outcome and not repeated: one code, never two.
 */
export class TwilioSmsNotifier implements Notifier {
  constructor(
    private readonly client: twilio.Twilio,
    private readonly sender: TwilioSender,
  ) {}

  async send(notification: Notification): Promise<NotificationReceipt> {
    if (notification.transport !== 'sms') throw new DeliveryError({ kind: 'rejected', providerCode: null });
    const from = this.sender.kind === 'messaging_service' ? { messagingServiceSid: this.sender.sid } : { from: this.sender.from };
    try {
      const message = await this.client.messages.create({ to: notification.to, body: notification.body, ...from });
      return { via: 'twilio', providerMessageId: message.sid };
    } catch (error) {
      throw twilioDeliveryError(error);
    }
  }
}
