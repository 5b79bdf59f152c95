import { z } from 'zod';
import { apiDocs } from '../../core/api-doc.js';
import { TWILIO_SIGNATURE_HEADER } from './signature.js';
import { TwilioInboundMessageSchema, TwilioStatusCallbackSchema } from './wire.js';

const signature = z.object({ [TWILIO_SIGNATURE_HEADER]: z.string().describe('base64 HMAC-SHA1 of the public URL and the sorted posted fields, keyed by TWILIO_AUTH_TOKEN') });
const twiml = (description: string) => ({ description, content: { 'text/xml': z.string() } });
const refused = {
  400: 'The form is invalid (details name the field); nothing was stored.',
  403: 'Missing or wrong X-Twilio-Signature (`SB_ERR_WEBHOOK_SIGNATURE`): nothing stored, answered or queued.',
  413: 'The body is too large.',
  503: { description: 'The message could not be stored (database unavailable); Twilio retries or uses the fallback URL.', headers: { 'Retry-After': 'Seconds to wait.' } },
} as const;

const messageDescription =
  'The Messaging webhook of the Twilio number or Messaging Service (docs/channels.md). Verified with X-Twilio-Signature over PUBLIC_URL + this path ' +
  'and every posted field; `MessageSid` is the idempotency key (a retry or the fallback URL receiving it too is acknowledged, not processed ' +
  'again). `From: whatsapp:+…` is a WhatsApp message. A whole-message STOP, STOPALL, UNSUBSCRIBE, END, QUIT, CANCEL, REVOKE or OPTOUT opts the ' +
  'number out; START, YES or UNSTOP opt it back in; HELP or INFO answer SHOP_HELP_TEXT. Media are listed from NumMedia, MediaUrlN and MediaContentTypeN.';

/** Mounted under CHANNELS_MOUNT (`/channels`) when TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are set. */
export const twilioChannelDocs = apiDocs('/channels', 'Channels', [
  {
    method: 'post',
    path: '/twilio',
    summary: 'Twilio Messaging webhook: inbound SMS and WhatsApp.',
    description: messageDescription,
    headers: signature,
    bodyContent: { 'application/x-www-form-urlencoded': TwilioInboundMessageSchema },
    responses: {
      200: twiml('TwiML: the turn\'s reply as `<Message>` elements when it was ready within TWILIO_REPLY_BUDGET_MS, else an empty `<Response/>` (the reply follows through the REST API).'),
      ...refused,
    },
  },
  {
    method: 'post',
    path: '/twilio/fallback',
    summary: 'Twilio Messaging fallback URL: the same as /channels/twilio.',
    description: `${messageDescription} Configure it as the fallback URL: a message that reached the primary URL too is recognised by its MessageSid.`,
    headers: signature,
    bodyContent: { 'application/x-www-form-urlencoded': TwilioInboundMessageSchema },
    responses: { 200: twiml('TwiML, as for /channels/twilio.'), ...refused },
  },
  {
    method: 'post',
    path: '/twilio/status',
    summary: 'Twilio status callback: what became of a message we sent.',
    description:
      'Sent by Twilio to the StatusCallback of each message (PUBLIC_URL/channels/twilio/status). `MessageStatus` delivered, read, undelivered ' +
      'and failed update the outbound row found by `MessageSid`, never backwards (a read before its delivered ends read); queued, sent and the ' +
      'other steps are acknowledged and ignored. Verified like the Messaging webhook.',
    headers: signature,
    bodyContent: { 'application/x-www-form-urlencoded': TwilioStatusCallbackSchema },
    responses: { 200: twiml('An empty `<Response/>`.'), ...refused },
  },
]);
