import type { Kysely } from 'kysely';
import { loadWhatsAppTemplates, metaConnectors, type MetaAppCredentials, type WhatsAppTemplates } from '../channels/meta/index.js';
import { windowState, type MessagingWindowStore, type WindowState } from '../channels/messaging-window.js';
import type { ChannelConnector } from '../core/channel.js';
import type { Config } from '../core/config.js';
import type { ReplyIdentity } from '../core/conversation-state.js';
import { SwitchboardError } from '../core/errors.js';
import type { OutboundMessage, TemplateUse } from '../core/message.js';
import { linkContactAlias } from '../db/contact-aliases.js';
import { MessagingWindows } from '../db/messaging-windows.js';
import type { Database } from '../db/schema.js';

function credentials(appSecret: string | undefined, verifyToken: string | undefined, accessToken: string | undefined, businessId: string | undefined): MetaAppCredentials | undefined {
  // core/meta-config.ts refused a partial set at start-up: all four or none.
  if (appSecret === undefined || verifyToken === undefined || accessToken === undefined || businessId === undefined) return undefined;
  return { appSecret, verifyToken, accessToken, businessId };
}

export interface MetaChannels {
  /** The configured WhatsApp Cloud API, Messenger and Instagram connectors (none by default). */
  connectors: ChannelConnector[];
  /** The window rule for a person's message (handoff/agent-actions.ts `replyPolicy`). */
  replyPolicy(replyTo: ReplyIdentity, message: OutboundMessage, at: Date): Promise<void>;
  /** The approved template of `use`, filled for this conversation (handoff/agent-actions.ts `templateMessage`). */
  templateMessage(conversationId: string, replyTo: ReplyIdentity, use: TemplateUse, agentId: string): Promise<Extract<OutboundMessage, { kind: 'template' }>>;
  /** The Cloud API's WhatsApp templates and phone-number id, when it is configured (proactive notices: channels/proactive/whatsapp-notices.ts). */
  whatsapp: { templates: WhatsAppTemplates; phoneNumberId: string; windows: MessagingWindowStore } | null;
}

export async function metaChannelsFromConfig(deps: { config: Config; db: Kysely<Database>; shopName: string; metaApiOrigin?: string; now?: () => Date }): Promise<MetaChannels> {
  const { config, db } = deps;
  const whatsapp = credentials(config.WHATSAPP_APP_SECRET, config.WHATSAPP_VERIFY_TOKEN, config.WHATSAPP_ACCESS_TOKEN, config.WHATSAPP_PHONE_NUMBER_ID);
  const messenger = credentials(config.MESSENGER_APP_SECRET, config.MESSENGER_VERIFY_TOKEN, config.MESSENGER_PAGE_ACCESS_TOKEN, config.MESSENGER_PAGE_ID);
  const instagram = credentials(config.INSTAGRAM_APP_SECRET, config.INSTAGRAM_VERIFY_TOKEN, config.INSTAGRAM_ACCESS_TOKEN, config.INSTAGRAM_ACCOUNT_ID);
  // The templates are read and checked at start-up, before anything is served.
  const templates = whatsapp !== undefined ? await loadWhatsAppTemplates(config.WHATSAPP_TEMPLATES_FILE) : null;
  const windows = new MessagingWindows(db);
  const connectors = metaConnectors({
    ...(whatsapp !== undefined && templates !== null ? { whatsapp: { ...whatsapp, templates } } : {}),
    ...(messenger !== undefined ? { messenger } : {}),
    ...(instagram !== undefined ? { instagram } : {}),
    windows,
    linkAlias: (channel, senderId, alias) => linkContactAlias(db, channel, senderId, alias),
    ...(deps.metaApiOrigin !== undefined ? { apiOrigin: deps.metaApiOrigin } : {}),
    ...(deps.now !== undefined ? { now: deps.now } : {}),
  });
  const businessOf = { whatsapp: whatsapp?.businessId, messenger: messenger?.businessId, instagram: instagram?.businessId } as const;
  return {
    connectors,
    whatsapp: whatsapp !== undefined && templates !== null ? { templates, phoneNumberId: whatsapp.businessId, windows } : null,
    replyPolicy: (replyTo, message, at) => refuseOutsideWindow(windows, businessOf, replyTo, message, at),
    templateMessage: async (conversationId, replyTo, use, agentId) => {
      if (replyTo.channel !== 'whatsapp' || templates === null) throw new SwitchboardError('SB_ERR_POLICY', `No message templates are configured for ${replyTo.channel}`, [{ path: 'template', message: 'templates are for WhatsApp conversations' }]);
      return templateFor(db, templates, conversationId, use, agentId, deps.shopName);
    },
  };
}

/**
 * A person's free-form message to a WhatsApp, Messenger or Instagram customer needs the window
 * open: 24 hours from the customer's last message; Messenger and Instagram allow a person 7
 * days (the HUMAN_AGENT tag). Templates may always go. Other channels have no window.
 */
async function refuseOutsideWindow(
  windows: MessagingWindowStore,
  businessOf: Readonly<Record<'whatsapp' | 'messenger' | 'instagram', string | undefined>>,
  replyTo: ReplyIdentity,
  message: OutboundMessage,
  at: Date,
): Promise<void> {
  const { channel } = replyTo;
  if (channel !== 'whatsapp' && channel !== 'messenger' && channel !== 'instagram') return;
  const business = businessOf[channel];
  if (business === undefined || (message.kind === 'template' && channel === 'whatsapp')) return;
  const state = await windowState(windows, { channel, business, customer: replyTo.senderId, now: at, humanAgentTag: channel !== 'whatsapp' });
  if (state.kind !== 'closed') return;
  throw outsideWindowError(channel, state);
}

/** SB_ERR_OUTSIDE_WINDOW for a person's free-form message: when the customer last wrote, and what may go instead (server/twilio-whatsapp.ts shares it). */
export function outsideWindowError(channel: 'whatsapp' | 'messenger' | 'instagram', state: Extract<WindowState, { kind: 'closed' }>): SwitchboardError {
  const why =
    state.lastInboundAt === null
      ? 'The customer has not written on this channel yet'
      : `The customer last wrote at ${state.lastInboundAt.toISOString()}; free-form replies are allowed for ${channel === 'whatsapp' ? '24 hours' : '7 days (HUMAN_AGENT tag)'} after that`;
  return new SwitchboardError('SB_ERR_OUTSIDE_WINDOW', `${why}. ${channel === 'whatsapp' ? 'Send an approved template instead.' : 'Wait for the customer to write again.'}`, [
    { path: 'window', message: channel === 'whatsapp' ? 'closed: send a template' : 'closed' },
  ]);
}

/** The approved template of `use` filled for this conversation: the customer's and the agent's first names, the shop. */
export async function templateFor(db: Kysely<Database>, templates: WhatsAppTemplates, conversationId: string, use: TemplateUse, agentId: string, shopName: string): Promise<Extract<OutboundMessage, { kind: 'template' }>> {
  const contact = await db
    .selectFrom('conversations as c')
    .innerJoin('contacts as k', 'k.id', 'c.contact_id')
    .select('k.display_name')
    .where('c.id', '=', conversationId)
    .executeTakeFirst();
  const agent = await db.selectFrom('users').select('display_name').where('id', '=', agentId).executeTakeFirst();
  const firstName = (name: string | null | undefined) => name?.trim().split(/\s+/)[0]?.replace(/[()]/g, '') || undefined;
  const filled = templates.fill(use, {
    customer_name: firstName(contact?.display_name) ?? 'there',
    agent_name: firstName(agent?.display_name) ?? shopName,
    shop_name: shopName,
  });
  return { kind: 'template', use, ...filled };
}
