import twilio from 'twilio';
import type {
  AcceptedInbound,
  Acknowledgement,
  ChannelCapabilities,
  ChannelConnector,
  ChannelPlugin,
  InboundQueue,
  ParsedInbound,
  ProviderResponse,
  RawInboundRequest,
} from '../../core/channel.js';
import { detailsFromZodIssues } from '../../core/errors.js';
import { ChannelInboundSchema, type ChannelInbound, type InboundMediaType } from '../../core/inbound.js';
import { degradeToText, type OutboundKind, type TemplateUse } from '../../core/message.js';
import { renderFor, TEXT_ONLY_CAPABILITIES } from '../degrade.js';
import { TWILIO_UNSUBSCRIBED, type TwilioChannelPolicy } from './channel-policy.js';
import { keywordCopy } from './keyword-copy.js';
import { smsKeyword } from './keywords.js';
import { TwilioChannelSender, type TwilioSenderLogger } from './sender.js';
import { verifyTwilioSignature } from './signature.js';
import type { TwilioSender } from './sms-notifier.js';
import { smsParts } from './sms-parts.js';
import { TwimlReplies, type PendingTwimlReply } from './twiml-replies.js';
import { formFields, singleValued, TwilioAddressSchema, TwilioInboundMessageSchema, TwilioStatusCallbackSchema, type TwilioMessageStatus } from './wire.js';

/** Mounted at /channels/twilio; status callbacks and the fallback URL below it. */
export const TWILIO_PATH = 'twilio';
export const TWILIO_STATUS_PATH = 'status';
export const TWILIO_FALLBACK_PATH = 'fallback';

/** Text only; a choice reaches the customer as a numbered list, long text as several SMS (sms-parts.ts). */
export const TWILIO_CAPABILITIES: ChannelCapabilities = {
  kinds: new Set<OutboundKind>(['text']),
  maxTextLength: TEXT_ONLY_CAPABILITIES.maxTextLength,
  maxButtons: 0,
  markup: 'plain',
};

/** A webhook is one message with at most 10 media URLs: a few kilobytes. */
const MAX_BODY_BYTES = 64 * 1024;

export interface TwilioChannelOptions {
  /** TWILIO_AUTH_TOKEN: the key of X-Twilio-Signature. */
  authToken: string;
  client: twilio.Twilio;
  /** Who SMS come from (TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM). */
  smsFrom: TwilioSender;
  /** TWILIO_WHATSAPP_FROM (`whatsapp:+…`); null: WhatsApp through Twilio is off. */
  whatsappFrom: string | null;
  /** The Content SID of each WhatsApp template use (channels/meta/templates.yaml `contentSid`); null for a use without one. */
  whatsappContentSid?: (use: TemplateUse) => string | null;
  policy: TwilioChannelPolicy;
  publicUrl: () => string;
  /** TWILIO_REPLY_BUDGET_MS: how long the webhook waits for the turn's reply to answer it as TwiML. */
  replyBudgetMs: number;
  /** SMS_MAX_PARTS. */
  smsMaxParts: number;
  /** SHOP_HELP_TEXT: the answer to HELP and INFO. */
  helpText: string;
  shopName: string;
  log: TwilioSenderLogger;
  /** How often a waiting webhook looks whether the turn's replies left the queue. */
  pollMs?: number;
}

export interface TwilioChannel {
  /** SMS, and the webhook for both (WhatsApp arrives with `whatsapp:` addresses). */
  connector: ChannelConnector;
  /** Replies to WhatsApp customers, when TWILIO_WHATSAPP_FROM is set. */
  whatsapp: ChannelPlugin | null;
}

/**
 * SMS and WhatsApp through Twilio: one Messaging webhook for both, verified by
 * X-Twilio-Signature over the public URL and every field; status callbacks below it. A message
 * is stored and queued like any other; the webhook then waits up to the reply budget for its
 * turn's replies and returns them as TwiML, else an empty `<Response/>` and the replies leave by
 * the REST API (twiml-replies.ts).
 */
export function twilioChannel(options: TwilioChannelOptions): TwilioChannel {
  const replies = new TwimlReplies();
  const moreUrl = () => `${options.publicUrl()}/help`;
  const statusCallback = () => `${options.publicUrl()}/channels/${TWILIO_PATH}/${TWILIO_STATUS_PATH}`;
  const common = { client: options.client, statusCallback, replies, policy: options.policy, log: options.log };
  const smsSender = new TwilioChannelSender({ ...common, channel: 'sms', from: options.smsFrom, parts: (text) => smsParts(text, { maxParts: options.smsMaxParts, moreUrl: moreUrl() }) });
  const whatsappFrom = options.whatsappFrom;
  const whatsapp: ChannelPlugin | null =
    whatsappFrom === null
      ? null
      : {
          channel: 'whatsapp',
          capabilities: TWILIO_CAPABILITIES,
          sender: new TwilioChannelSender({
            ...common,
            channel: 'whatsapp',
            from: { kind: 'number', from: whatsappFrom },
            parts: whatsappParts,
            contentSid: options.whatsappContentSid ?? (() => null),
          }),
        };
  const copy = keywordCopy(options.shopName);

  /** Keywords answered here, the rest stored and queued; then the turn's replies awaited within the budget. */
  async function receive(messages: readonly ChannelInbound[], queue: InboundQueue): Promise<ProviderResponse> {
    const answers: string[] = [];
    const forTurns: ChannelInbound[] = [];
    for (const message of messages) {
      const answer = await keywordAnswer(message);
      if (answer !== null) {
        answers.push(answer);
        continue;
      }
      if (message.channel === 'whatsapp' && whatsappFrom !== null) {
        await options.policy.recordInbound('whatsapp', whatsappFrom, message.sender.id, new Date(message.receivedAt));
      }
      forTurns.push(message);
    }
    const results: Array<{ providerMessageId: string; result: AcceptedInbound }> = forTurns.length === 0 ? [] : await queue.accept(forTurns);
    // Opened at once, in the same tick as the commit resolved: the turn's reply cannot have been sent yet.
    const waits = options.replyBudgetMs <= 0 ? [] : openWaits(forTurns, results);
    if (waits.length > 0) await settle(waits);
    for (const wait of waits) answers.push(...replies.close(wait.message.channel, wait.message.sender.id, wait.pending));
    return twimlAnswer(answers);
  }

  function openWaits(messages: readonly ChannelInbound[], results: ReadonlyArray<{ providerMessageId: string; result: AcceptedInbound }>) {
    const waits: Array<{ message: ChannelInbound; pending: PendingTwimlReply }> = [];
    for (const message of messages) {
      // A retry of a message already stored waits for nothing: its first delivery answers, or REST does.
      if (results.find((r) => r.providerMessageId === message.providerMessageId)?.result !== 'accepted') continue;
      const pending = replies.open(message.channel, message.sender.id, message.providerMessageId);
      if (pending !== null) waits.push({ message, pending });
    }
    return waits;
  }

  async function settle(waits: ReadonlyArray<{ message: ChannelInbound }>): Promise<void> {
    const deadline = Date.now() + options.replyBudgetMs;
    const pollMs = options.pollMs ?? 40;
    while (Date.now() < deadline) {
      let settled: boolean[];
      try {
        settled = await Promise.all(waits.map(({ message }) => options.policy.repliesSettled(message.channel, message.sender.id, message.providerMessageId)));
      } catch {
        // The messages are stored; whatever is not answered now goes out by REST.
        return;
      }
      if (settled.every(Boolean)) return;
      await new Promise((resolve) => setTimeout(resolve, Math.max(1, Math.min(pollMs, deadline - Date.now()))));
    }
  }

  async function keywordAnswer(message: ChannelInbound): Promise<string | null> {
    if (message.channel !== 'sms' || message.content.kind !== 'text') return null;
    const keyword = smsKeyword(message.content.text);
    if (keyword === null) return null;
    const number = message.sender.id;
    switch (keyword.kind) {
      case 'opt_out':
        await options.policy.recordOptOut('sms', number, keyword.word);
        return copy.optedOut;
      case 'opt_in':
        // "Yes" from a number that never opted out is an answer for the bot.
        if (!(await options.policy.isOptedOut('sms', number))) return null;
        await options.policy.recordOptIn('sms', number, keyword.word);
        return copy.optedIn;
      case 'help':
        return options.helpText;
    }
  }

  const connector: ChannelConnector = {
    channel: 'sms',
    path: TWILIO_PATH,
    subPaths: [TWILIO_STATUS_PATH, TWILIO_FALLBACK_PATH],
    maxBodyBytes: MAX_BODY_BYTES,
    capabilities: TWILIO_CAPABILITIES,
    sender: smsSender,
    verify: (request) => verifyTwilioSignature(options.authToken, request),
    parse: (request) => parseTwilioWebhook(request, { whatsapp: whatsappFrom !== null }),
    acknowledge: acknowledgeTwilio,
    receive,
  };
  return { connector, whatsapp };
}

function whatsappParts(text: string): string[] {
  return renderFor({ kind: 'text', text }, TEXT_ONLY_CAPABILITIES).map((part) => (part.kind === 'text' ? part.text : degradeToText(part)));
}

/** TwiML: one `<Message>` per part, or an empty `<Response/>` (nothing to say now). */
export function twimlAnswer(parts: readonly string[]): ProviderResponse {
  const response = new twilio.twiml.MessagingResponse();
  for (const part of parts) response.message(part);
  return { status: 200, contentType: 'text/xml', body: response.toString() };
}

/** Status callbacks and ignored posts get an empty TwiML answer: Twilio wants a 200, nothing more. */
export function acknowledgeTwilio(_acknowledgement: Acknowledgement): ProviderResponse {
  return twimlAnswer([]);
}

/** What a status callback's MessageStatus means for our row; null for the steps before (queued, sent…). */
const REPORTS: Partial<Record<TwilioMessageStatus, 'delivered' | 'read' | 'failed'>> = {
  delivered: 'delivered',
  read: 'read',
  undelivered: 'failed',
  failed: 'failed',
};

export function parseTwilioWebhook(request: RawInboundRequest, enabled: { whatsapp: boolean }): ParsedInbound {
  const route = new URL(request.path, 'http://path.invalid').pathname.replace(/\/+$/, '');
  const fields = formFields(request.body);
  const { values, repeated } = singleValued(fields);
  if (route.endsWith(`/${TWILIO_STATUS_PATH}`)) {
    const parsed = TwilioStatusCallbackSchema.safeParse(values);
    if (!parsed.success) return { kind: 'invalid', details: detailsFromZodIssues(parsed.error.issues) };
    const report = REPORTS[parsed.data.MessageStatus];
    if (report === undefined) return { kind: 'ignored', reason: `status_${parsed.data.MessageStatus}` };
    const channel = (values.To ?? values.From ?? '').startsWith('whatsapp:') ? 'whatsapp' : 'sms';
    // 21610: the recipient unsubscribed (replied STOP to Twilio, or the carrier knows): their opt-out is recorded, as on a REST refusal.
    const to = TwilioAddressSchema.safeParse(values.To);
    const unsubscribed = report === 'failed' && parsed.data.ErrorCode === TWILIO_UNSUBSCRIBED && to.success ? { unsubscribed: { address: to.data.replace(/^whatsapp:/, '') } } : {};
    return { kind: 'status_reports', reports: [{ providerMessageId: parsed.data.MessageSid, report, channel, ...unsubscribed }] };
  }
  const known = ['MessageSid', 'AccountSid', 'From', 'To', 'Body', 'NumMedia'];
  const twice = repeated.filter((name) => known.includes(name) || /^Media(Url|ContentType)\d+$/.test(name));
  if (twice.length > 0) return { kind: 'invalid', details: twice.map((name) => ({ path: name, message: 'is posted more than once' })) };
  const parsed = TwilioInboundMessageSchema.safeParse(values);
  if (!parsed.success) return { kind: 'invalid', details: detailsFromZodIssues(parsed.error.issues) };
  const webhook = parsed.data;
  const whatsapp = webhook.From.startsWith('whatsapp:');
  if (whatsapp && !enabled.whatsapp) return { kind: 'ignored', reason: 'whatsapp_not_configured' };
  const attachments: Array<{ mimeType: string; url: string }> = [];
  for (let i = 0; i < webhook.NumMedia; i += 1) {
    const url = values[`MediaUrl${i}`];
    const mimeType = values[`MediaContentType${i}`];
    if (url === undefined) return { kind: 'invalid', details: [{ path: `MediaUrl${i}`, message: `is required: NumMedia is ${webhook.NumMedia}` }] };
    if (mimeType === undefined) return { kind: 'invalid', details: [{ path: `MediaContentType${i}`, message: `is required: NumMedia is ${webhook.NumMedia}` }] };
    attachments.push({ mimeType, url });
  }
  const first = attachments[0];
  const body = webhook.Body.trim();
  if (first === undefined && body === '') return { kind: 'ignored', reason: 'empty_message' };
  const message: ChannelInbound = {
    channel: whatsapp ? 'whatsapp' : 'sms',
    providerMessageId: webhook.MessageSid,
    sender: { id: webhook.From.replace(/^whatsapp:/, ''), ...(webhook.ProfileName !== undefined && webhook.ProfileName !== '' ? { displayName: webhook.ProfileName } : {}) },
    content:
      first === undefined
        ? { kind: 'text', text: webhook.Body }
        : { kind: 'media', mediaType: mediaTypeOf(first.mimeType), mimeType: first.mimeType, url: first.url, ...(body !== '' ? { caption: webhook.Body } : {}) },
    ...(attachments.length > 0 ? { attachments } : {}),
    receivedAt: request.receivedAt.toISOString(),
  };
  const normalized = ChannelInboundSchema.safeParse(message);
  if (!normalized.success) return { kind: 'invalid', details: detailsFromZodIssues(normalized.error.issues) };
  return { kind: 'messages', messages: [normalized.data] };
}

function mediaTypeOf(mimeType: string): InboundMediaType {
  const top = mimeType.split('/')[0];
  if (top === 'image' || top === 'video' || top === 'audio') return top;
  return 'document';
}
