import { z } from 'zod';
import type { Acknowledgement, ChannelConnector, ChannelSender, InboundQueue, ProviderResponse, RawInboundRequest } from '../../core/channel.js';
import { apiDocs, type ApiRouteDoc } from '../../core/api-doc.js';
import { SwitchboardError } from '../../core/errors.js';
import type { ChannelInbound } from '../../core/inbound.js';
import { assertNever, type ChannelName } from '../../core/message.js';
import { windowState, type MessagingWindowStore } from '../messaging-window.js';
import { recordingArrivals, type Arrival } from './arrivals.js';
import { GraphApiClient } from './graph-client.js';
import { INSTAGRAM_CAPABILITIES, MESSENGER_CAPABILITIES, MessagingSender } from './messaging-sender.js';
import { parseMessagingWebhook } from './messaging-parse.js';
import { answerMetaHandshake, META_SIGNATURE_HEADER, verifyMetaSignature } from './signature.js';
import type { WhatsAppTemplates } from './templates.js';
import { WHATSAPP_CAPABILITIES, WhatsAppCloudSender } from './whatsapp-sender.js';
import { parseWhatsAppWebhook } from './whatsapp-parse.js';

/** A Meta app's webhook and send credentials for one channel (core/config.ts names them per channel). */
export interface MetaAppCredentials {
  /** Signs every webhook body (App Dashboard › App settings › Basic › App secret). */
  appSecret: string;
  /** Our own token, typed into the webhook settings; Meta sends it back in the handshake. */
  verifyToken: string;
  /** Bearer token of the Graph API sends (a System User token for WhatsApp, a page token for Messenger/Instagram). */
  accessToken: string;
  /** WhatsApp phone-number id, Facebook page id or Instagram professional account id. */
  businessId: string;
}

export interface MetaChannelsOptions {
  whatsapp?: MetaAppCredentials & { templates: WhatsAppTemplates };
  messenger?: MetaAppCredentials;
  instagram?: MetaAppCredentials;
  windows: MessagingWindowStore;
  /** Links a second id of a sender to its contact (db/contact-aliases.ts). */
  linkAlias(channel: ChannelName, senderId: string, alias: string): Promise<void>;
  /** Test-only origin of a Graph API stand-in; see GraphApiClient. */
  apiOrigin?: string;
  now?: () => Date;
}

/** Webhooks may batch up to 1,000 messages and statuses: a few hundred kilobytes at most. */
const MAX_BODY_BYTES = 1024 * 1024;

/** The acknowledgement body (Meta reads only the 200). */
export const MetaAckSchema = z.object({ received: z.number().int(), duplicates: z.number().int(), statuses: z.number().int() });

/** The connectors configured: each is mounted only when its credentials are set. */
export function metaConnectors(options: MetaChannelsOptions): ChannelConnector[] {
  const connectors: ChannelConnector[] = [];
  if (options.whatsapp !== undefined) connectors.push(metaConnector('whatsapp', options.whatsapp, options));
  if (options.messenger !== undefined) connectors.push(metaConnector('messenger', options.messenger, options));
  if (options.instagram !== undefined) connectors.push(metaConnector('instagram', options.instagram, options));
  return connectors;
}

function metaConnector(channel: 'whatsapp' | 'messenger' | 'instagram', credentials: MetaAppCredentials & { templates?: WhatsAppTemplates }, options: MetaChannelsOptions): ChannelConnector {
  // Fail closed: an empty secret would make every forged signature "valid".
  if (credentials.appSecret.length < 16 || credentials.verifyToken.length < 8) throw new SwitchboardError('SB_ERR_CONFIG', `The ${channel} app secret and verify token must be set`);
  const now = options.now ?? (() => new Date());
  const client = new GraphApiClient({ accessToken: credentials.accessToken, ...(options.apiOrigin !== undefined ? { apiOrigin: options.apiOrigin } : {}) });
  const business = credentials.businessId;
  const window = (customer: string) => windowState(options.windows, { channel, business, customer, now: now(), humanAgentTag: channel !== 'whatsapp' });
  const sender = ((): ChannelSender => {
    if (channel !== 'whatsapp') return new MessagingSender({ channel, client, businessId: business, window });
    if (credentials.templates === undefined) throw new SwitchboardError('SB_ERR_CONFIG', 'The WhatsApp channel needs its templates (WHATSAPP_TEMPLATES_FILE or channels/meta/templates.yaml)');
    return new WhatsAppCloudSender({ client, phoneNumberId: business, window, templates: credentials.templates });
  })();
  const recorder = {
    window: (message: ChannelInbound, arrival: Arrival) => options.windows.recordInbound({ channel, business: arrival.business, customer: message.sender.id, at: arrival.sentAt }),
    alias: (message: ChannelInbound, alias: string) => options.linkAlias(channel, message.sender.id, alias),
  };
  return {
    channel,
    path: channel,
    maxBodyBytes: MAX_BODY_BYTES,
    capabilities: channel === 'whatsapp' ? WHATSAPP_CAPABILITIES : channel === 'messenger' ? MESSENGER_CAPABILITIES : INSTAGRAM_CAPABILITIES,
    sender,
    verify: (request: RawInboundRequest) => verifyMetaSignature(credentials.appSecret, request.headers, request.body),
    parse: (request: RawInboundRequest) => (channel === 'whatsapp' ? parseWhatsAppWebhook(request, business) : parseMessagingWebhook(request, channel, business)),
    acknowledge: acknowledgeMeta,
    handshake: (query) => answerMetaHandshake(credentials.verifyToken, query),
    inbound: (queue: InboundQueue) => recordingArrivals(queue, recorder),
  };
}

export function acknowledgeMeta(acknowledgement: Acknowledgement): ProviderResponse {
  const body = ((): z.infer<typeof MetaAckSchema> => {
    switch (acknowledgement.kind) {
      case 'messages':
        return {
          received: acknowledgement.results.filter((r) => r.result === 'accepted').length,
          duplicates: acknowledgement.results.filter((r) => r.result !== 'accepted').length,
          statuses: 0,
        };
      case 'status_reports':
        return { received: 0, duplicates: 0, statuses: acknowledgement.count };
      case 'ignored':
        return { received: 0, duplicates: 0, statuses: 0 };
      default:
        return assertNever(acknowledgement);
    }
  })();
  return { status: 200, contentType: 'application/json', body: JSON.stringify(body) };
}

const HandshakeQuerySchema = z.object({
  'hub.mode': z.literal('subscribe'),
  'hub.verify_token': z.string(),
  'hub.challenge': z.string().regex(/^[\w.-]{1,200}$/),
});

/** Mounted under CHANNELS_MOUNT (`/channels`), each only when its channel is configured (docs/channels.md). */
export const metaChannelDocs = apiDocs(
  '/channels',
  'Channels',
  (['whatsapp', 'messenger', 'instagram'] as const).flatMap((channel): ApiRouteDoc[] => [
    {
      method: 'get',
      path: `/${channel}`,
      summary: `Meta webhook verification handshake (${channel}).`,
      description:
        'Meta calls this when the callback URL is saved in the App Dashboard. With `hub.mode=subscribe` and `hub.verify_token` equal to the ' +
        `configured verify token (${channel.toUpperCase()}_VERIFY_TOKEN), the answer is \`hub.challenge\` as text/plain; anything else is a 403 that echoes nothing.`,
      query: HandshakeQuerySchema,
      responses: {
        200: { description: 'The challenge, echoed.', content: { 'text/plain': z.string() } },
        403: { description: 'Wrong mode or token: nothing echoed.', content: { 'text/plain': z.string() } },
      },
    },
    {
      method: 'post',
      path: `/${channel}`,
      summary: channel === 'whatsapp' ? 'WhatsApp Cloud API webhook (messages and statuses).' : `${channel === 'messenger' ? 'Messenger' : 'Instagram'} webhook (messaging events).`,
      description:
        '`X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the raw body under the app secret>` is checked in constant time before anything is parsed; ' +
        'a missing, `sha1=` or wrong signature is a 403 and nothing is stored. Messages are stored and queued, keyed by their message id (a redelivery ' +
        'is acknowledged and ignored), then acknowledged before any turn runs; one customer\'s messages are answered in order. Statuses update the outbound messages.',
      headers: z.object({ [META_SIGNATURE_HEADER]: z.string().regex(/^sha256=[0-9a-f]{64}$/) }),
      bodyContent: { 'application/octet-stream': z.string() },
      responses: {
        200: { description: 'Acknowledged: how many messages were stored, how many were already known, how many statuses were recorded.', json: MetaAckSchema },
        400: 'The body is invalid (details name the field); nothing stored.',
        403: 'Missing, malformed or wrong signature (`SB_ERR_WEBHOOK_SIGNATURE`); nothing stored.',
        413: 'The body is too large.',
        503: { description: 'The messages could not be stored (database unavailable); Meta retries.', headers: { 'Retry-After': 'Seconds to wait.' } },
      },
    },
  ]),
);
