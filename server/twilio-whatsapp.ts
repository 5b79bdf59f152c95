import type { Kysely } from 'kysely';
import { windowState } from '../channels/messaging-window.js';
import { DEFAULT_TEMPLATES_FILE, loadWhatsAppTemplates, type WhatsAppTemplates } from '../channels/meta/templates.js';
import { notificationTransports, type Config } from '../core/config.js';
import type { ReplyIdentity } from '../core/conversation-state.js';
import { SwitchboardError } from '../core/errors.js';
import type { OutboundMessage, TemplateUse } from '../core/message.js';
import { MessagingWindows } from '../db/messaging-windows.js';
import type { Database } from '../db/schema.js';
import { outsideWindowError, templateFor } from './meta-channels.js';

/** WhatsApp through Twilio's rules for what leaves: the 24-hour window and its Content templates. */
export interface TwilioWhatsApp {
  /** TWILIO_WHATSAPP_FROM: the business side of every window. */
  from: string;
  templates: WhatsAppTemplates;
  /** The Content SID of `use` (templates file `contentSid`), or null when the file names none. */
  contentSid(use: TemplateUse): string | null;
  /** A person's free-form message needs the window open (handoff/agent-actions.ts `replyPolicy`). */
  replyPolicy(replyTo: ReplyIdentity, message: OutboundMessage, at: Date): Promise<void>;
  /** The template of `use`, filled, for a Twilio WhatsApp conversation (handoff/agent-actions.ts `templateMessage`). */
  templateMessage(conversationId: string, replyTo: ReplyIdentity, use: TemplateUse, agentId: string): Promise<Extract<OutboundMessage, { kind: 'template' }>>;
}

/**
 * When TWILIO_WHATSAPP_FROM is set (with the Twilio account): the templates file
 * (WHATSAPP_TEMPLATES_FILE, the one Meta's WhatsApp reads too), checked at start-up, and the
 * window rule for people's replies. A use without a `contentSid` is named in a warning now and
 * refused when sent, never replaced by free text.
 */
export async function twilioWhatsAppFromConfig(deps: { config: Config; db: Kysely<Database>; shopName: string; log: { warn(obj: object, msg: string): void } }): Promise<TwilioWhatsApp | null> {
  const { config, db } = deps;
  const from = config.TWILIO_WHATSAPP_FROM;
  if (from === undefined || notificationTransports(config).sms === null) return null;
  const templates = await loadWhatsAppTemplates(config.WHATSAPP_TEMPLATES_FILE);
  const file = config.WHATSAPP_TEMPLATES_FILE ?? DEFAULT_TEMPLATES_FILE;
  const missing = templates.withoutContentSid();
  if (missing.length > 0) deps.log.warn({ uses: missing, file }, 'WhatsApp through Twilio: these templates have no contentSid and cannot be sent outside the 24-hour window');
  const windows = new MessagingWindows(db);
  const contentSid = (use: TemplateUse) => templates.of(use).contentSid ?? null;
  return {
    from,
    templates,
    contentSid,
    replyPolicy: async (replyTo, message, at) => {
      if (replyTo.channel !== 'whatsapp' || message.kind === 'template') return;
      const state = await windowState(windows, { channel: 'whatsapp', business: from, customer: replyTo.senderId, now: at });
      if (state.kind === 'closed') throw outsideWindowError('whatsapp', state);
    },
    templateMessage: async (conversationId, replyTo, use, agentId) => {
      if (replyTo.channel !== 'whatsapp') throw new SwitchboardError('SB_ERR_POLICY', `No message templates are configured for ${replyTo.channel}`, [{ path: 'template', message: 'templates are for WhatsApp conversations' }]);
      if (contentSid(use) === null) {
        throw new SwitchboardError('SB_ERR_POLICY', `The ${use} template has no Twilio contentSid in ${file}`, [{ path: 'template', message: `add templates.${use}.contentSid (HX…) to the templates file` }]);
      }
      return templateFor(db, templates, conversationId, use, agentId, deps.shopName);
    },
  };
}
