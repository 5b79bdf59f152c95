import type { Kysely } from 'kysely';
import { notificationTransports, type Config } from '../core/config.js';
import { windowOpen } from '../channels/messaging-window.js';
import { twilioChannel, type TwilioChannel } from '../channels/twilio/connector.js';
import type { TwilioChannelPolicy } from '../channels/twilio/channel-policy.js';
import { defaultHelpText } from '../channels/twilio/keyword-copy.js';
import { createTwilioRestClient } from '../channels/twilio/rest-client.js';
import { isOptedOut, recordOptIn, recordOptOut } from '../db/channel-opt-outs.js';
import { MessagingWindows } from '../db/messaging-windows.js';
import { repliesSettled } from '../db/reply-progress.js';
import type { Database } from '../db/schema.js';
import type { TemplateUse } from '../core/message.js';

/** The database behind the Twilio channel's opt-outs, WhatsApp window and reply wait. */
export function twilioChannelPolicy(db: Kysely<Database>, now: () => Date = () => new Date()): TwilioChannelPolicy {
  const windows = new MessagingWindows(db);
  return {
    isOptedOut: (channel, address) => isOptedOut(db, channel, address),
    recordOptOut: (channel, address, source) => recordOptOut(db, channel, address, source),
    recordOptIn: (channel, address, source) => recordOptIn(db, channel, address, source),
    recordInbound: (channel, business, customer, at) => windows.recordInbound({ channel, business, customer, at }),
    windowOpen: (channel, business, customer) => windowOpen(windows, { channel, business, customer, now: now() }),
    repliesSettled: (channel, address, providerMessageId) => repliesSettled(db, { channel, address, providerMessageId }),
  };
}

/**
 * SMS and WhatsApp through Twilio (docs/channels.md), when the account, its token and an SMS
 * sender are configured; null otherwise (nothing is mounted at /channels/twilio).
 */
export function twilioChannelFromConfig(deps: {
  config: Config;
  db: Kysely<Database>;
  publicUrl: () => string;
  shopName: string;
  log: { warn(obj: object, msg: string): void };
  /** Test-only: the loopback stand-in of api.twilio.com. */
  twilioApiOrigin?: string;
  /** The Content SID of each WhatsApp template use (server/twilio-whatsapp.ts). */
  whatsappContentSid?: (use: TemplateUse) => string | null;
  now?: () => Date;
}): TwilioChannel | null {
  const { config } = deps;
  const sms = notificationTransports(config).sms;
  if (sms === null) return null;
  const client = createTwilioRestClient({ accountSid: sms.accountSid, authToken: sms.authToken, ...(deps.twilioApiOrigin !== undefined ? { apiOrigin: deps.twilioApiOrigin } : {}) });
  return twilioChannel({
    authToken: sms.authToken,
    client,
    smsFrom: sms.sender,
    whatsappFrom: config.TWILIO_WHATSAPP_FROM ?? null,
    ...(deps.whatsappContentSid !== undefined ? { whatsappContentSid: deps.whatsappContentSid } : {}),
    policy: twilioChannelPolicy(deps.db, deps.now),
    publicUrl: deps.publicUrl,
    replyBudgetMs: config.TWILIO_REPLY_BUDGET_MS,
    smsMaxParts: config.SMS_MAX_PARTS,
    // Read when asked: PUBLIC_URL is known only after listening when PORT=0.
    get helpText() {
      return config.SHOP_HELP_TEXT ?? defaultHelpText(deps.shopName, deps.publicUrl());
    },
    shopName: deps.shopName,
    log: deps.log,
  });
}
