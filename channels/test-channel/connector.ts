import type {
  Acknowledgement,
  ChannelCapabilities,
  ChannelConnector,
  ParsedInbound,
  ProviderResponse,
  RawInboundRequest,
  VerifyResult,
} from '../../core/channel.js';
import { z } from 'zod';
import { apiDocs } from '../../core/api-doc.js';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import { ChannelInboundSchema, type ChannelInbound, type InboundContent } from '../../core/inbound.js';
import { assertNever, type OutboundKind } from '../../core/message.js';
import { TestChannelSender } from './sender.js';
import { TEST_SIGNATURE_HEADER, TEST_TIMESTAMP_HEADER, verifyTestChannelSignature } from './signature.js';
import { TEST_CHANNEL_EVENTS, TEST_CHANNEL_MAX_TEXT, TestChannelWebhookSchema, type TestChannelMessage } from './wire.js';

/** Text only, no buttons: every choice reaches the customer as a numbered list. */
export const TEST_CHANNEL_CAPABILITIES: ChannelCapabilities = {
  kinds: new Set<OutboundKind>(['text']),
  maxTextLength: TEST_CHANNEL_MAX_TEXT,
  maxButtons: 0,
  markup: 'plain',
};

/** The acknowledgement of a webhook: what became of each message, how many reports were taken, or an ignored event. */
export const TestChannelAckSchema = z.union([
  z.object({ received: z.array(z.object({ id: z.string(), result: z.enum(['accepted', 'duplicate', 'echo']) })) }),
  z.object({ statuses: z.number().int() }),
  z.object({ ignored: z.literal(true) }),
]);

/** Mounted under CHANNELS_MOUNT (`/channels`) at the connector's path. */
export const testChannelDocs = apiDocs('/channels', 'Channels', [
  {
    method: 'post',
    path: '/test',
    summary: 'Loopback test channel webhook (tests only; mounted only when TEST_CHANNEL_SECRET is set).',
    description:
      'A provider of our own that proves the connector contract end to end (docs/architecture.md, "Channel connectors"; wire format in ' +
      'channels/test-channel/wire.ts). The raw body is signed: `X-Test-Channel-Timestamp: <unix seconds>` and `X-Test-Channel-Signature: ' +
      'v1=<hex HMAC-SHA256 of "<timestamp>.<raw body>" under TEST_CHANNEL_SECRET>`, checked in constant time before anything is parsed; older ' +
      'than 5 minutes is refused. A message is stored and queued, then acknowledged (200) before its turn runs; the replies are posted, signed ' +
      'the same way, to TEST_CHANNEL_OUTBOUND_URL as `{ to, idempotencyKey, parts[] }`, which answers `{ id }` (the receipt). Never mounted in production.',
    headers: z.object({ [TEST_TIMESTAMP_HEADER]: z.string().regex(/^[0-9]+$/), [TEST_SIGNATURE_HEADER]: z.string().regex(/^v1=[0-9a-f]{64}$/) }),
    body: TestChannelWebhookSchema,
    responses: {
      200: {
        description:
          'Acknowledged. For a message, what became of it: `accepted` (stored and queued), `duplicate` (already stored; not processed again) or ' +
          '`echo` (our own message coming back; dropped). An unknown `event` is acknowledged with `{ "ignored": true }`.',
        json: TestChannelAckSchema,
      },
      400: 'The body is invalid (details name the field).',
      403: 'Missing, malformed, wrong or stale signature (`SB_ERR_WEBHOOK_SIGNATURE`); nothing was stored.',
      413: 'The body is too large.',
      503: { description: 'The message could not be stored (database unavailable); retry. Nothing was acknowledged.', headers: { 'Retry-After': 'Seconds to wait.' } },
    },
  },
]);

/** A webhook is one message or one status report: a few kilobytes. */
const MAX_BODY_BYTES = 16 * 1024;

export interface TestChannelOptions {
  /** TEST_CHANNEL_SECRET: signs both directions. */
  secret: string;
  /** TEST_CHANNEL_OUTBOUND_URL. */
  outboundUrl: string;
  now?: () => Date;
}

/**
 * The loopback "test channel": a connector written only to prove the contract end to end with a
 * provider of our own (wire.ts). Mounted only when TEST_CHANNEL_SECRET is set, never in production.
 */
export function testChannelConnector(options: TestChannelOptions): ChannelConnector {
  // Fail closed: without a secret there is no way to tell the provider from anyone else.
  if (options.secret.length < 32) throw new SwitchboardError('SB_ERR_CONFIG', 'TEST_CHANNEL_SECRET must be at least 32 characters');
  const now = options.now ?? (() => new Date());
  return {
    channel: 'test',
    path: 'test',
    maxBodyBytes: MAX_BODY_BYTES,
    capabilities: TEST_CHANNEL_CAPABILITIES,
    sender: new TestChannelSender({ secret: options.secret, outboundUrl: options.outboundUrl, capabilities: TEST_CHANNEL_CAPABILITIES, ...(options.now ? { now: options.now } : {}) }),
    verify: (request: RawInboundRequest): VerifyResult => verifyTestChannelSignature(options.secret, request.headers, request.body, now()),
    parse: parseTestChannelWebhook,
    acknowledge: acknowledgeTestChannel,
  };
}

export function parseTestChannelWebhook(request: RawInboundRequest): ParsedInbound {
  let json: unknown;
  try {
    json = JSON.parse(request.body.toString('utf8'));
  } catch {
    return { kind: 'invalid', details: [{ path: 'body', message: 'is not valid JSON' }] };
  }
  const event = typeof json === 'object' && json !== null && 'event' in json ? (json as { event: unknown }).event : undefined;
  if (typeof event === 'string' && !TEST_CHANNEL_EVENTS.has(event)) return { kind: 'ignored', reason: 'unknown_event' };
  const parsed = TestChannelWebhookSchema.safeParse(json);
  if (!parsed.success) return { kind: 'invalid', details: detailsFromZodIssues(parsed.error.issues) };
  const webhook = parsed.data;
  switch (webhook.event) {
    case 'status':
      return { kind: 'status_reports', reports: [{ providerMessageId: webhook.messageId, report: webhook.status }] };
    case 'message': {
      const message: ChannelInbound = {
        channel: 'test',
        providerMessageId: webhook.id,
        sender: { id: webhook.from.id, ...(webhook.from.name !== undefined ? { displayName: webhook.from.name } : {}) },
        content: contentOf(webhook.message),
        ...(webhook.locale !== undefined ? { locale: webhook.locale } : {}),
        receivedAt: request.receivedAt.toISOString(),
      };
      // The normalized form has rules of its own (an http(s) media URL, coordinates in range).
      const normalized = ChannelInboundSchema.safeParse(message);
      if (!normalized.success) return { kind: 'invalid', details: detailsFromZodIssues(normalized.error.issues) };
      return { kind: 'messages', messages: [normalized.data] };
    }
    default:
      return assertNever(webhook);
  }
}

function contentOf(message: TestChannelMessage): InboundContent {
  switch (message.type) {
    case 'text':
      return { kind: 'text', text: message.text };
    case 'button':
      return { kind: 'choice_answer', payload: message.payload, label: message.title };
    case 'media':
      return {
        kind: 'media',
        mediaType: message.mediaType,
        mimeType: message.mimeType,
        url: message.url,
        ...(message.caption !== undefined ? { caption: message.caption } : {}),
      };
    case 'location':
      return {
        kind: 'location',
        latitude: message.latitude,
        longitude: message.longitude,
        ...(message.name !== undefined ? { name: message.name } : {}),
        ...(message.address !== undefined ? { address: message.address } : {}),
      };
    default:
      return assertNever(message);
  }
}

/** The provider expects a 200 within its budget; the body says what became of each message, for its logs. */
export function acknowledgeTestChannel(acknowledgement: Acknowledgement): ProviderResponse {
  const body = ((): z.infer<typeof TestChannelAckSchema> => {
    switch (acknowledgement.kind) {
      case 'messages':
        return { received: acknowledgement.results.map((r) => ({ id: r.providerMessageId, result: r.result })) };
      case 'status_reports':
        return { statuses: acknowledgement.count };
      case 'ignored':
        return { ignored: true };
      default:
        return assertNever(acknowledgement);
    }
  })();
  return { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
}
