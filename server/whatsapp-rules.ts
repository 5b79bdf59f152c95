import type { Kysely } from 'kysely';
import { whatsappNotices, type WhatsAppNotices } from '../channels/proactive/whatsapp-notices.js';
import type { ChannelSender } from '../core/channel.js';
import type { ChannelName } from '../core/message.js';
import { MessagingWindows } from '../db/messaging-windows.js';
import type { Database } from '../db/schema.js';
import type { AgentActionsDeps } from '../handoff/agent-actions.js';
import type { MetaChannels } from './meta-channels.js';
import type { TwilioWhatsApp } from './twilio-whatsapp.js';

/**
 * The window and template rules for people's messages: Meta's channels, and WhatsApp through
 * Twilio when that is the WhatsApp configured (one WhatsApp per deployment: docs/channels.md).
 */
export function agentChannelRules(meta: MetaChannels, twilio: TwilioWhatsApp | null): Required<Pick<AgentActionsDeps, 'replyPolicy' | 'templateMessage'>> {
  if (twilio === null || meta.whatsapp !== null) return { replyPolicy: meta.replyPolicy, templateMessage: meta.templateMessage };
  return {
    replyPolicy: async (replyTo, message, at) => {
      await meta.replyPolicy(replyTo, message, at);
      await twilio.replyPolicy(replyTo, message, at);
    },
    templateMessage: (conversationId, replyTo, use, agentId) => twilio.templateMessage(conversationId, replyTo, use, agentId),
  };
}

/** Proactive notices on WhatsApp through whichever WhatsApp is configured; undefined without one. */
export function proactiveWhatsApp(deps: {
  meta: MetaChannels;
  twilio: TwilioWhatsApp | null;
  senders: ReadonlyMap<ChannelName, ChannelSender>;
  db: Kysely<Database>;
  now?: () => Date;
}): WhatsAppNotices | undefined {
  const sender = deps.senders.get('whatsapp');
  if (sender === undefined) return undefined;
  const now = deps.now !== undefined ? { now: deps.now } : {};
  if (deps.meta.whatsapp !== null) {
    return whatsappNotices({ provider: 'whatsapp_cloud', sender, windows: deps.meta.whatsapp.windows, business: deps.meta.whatsapp.phoneNumberId, templates: deps.meta.whatsapp.templates, ...now });
  }
  if (deps.twilio !== null) {
    return whatsappNotices({ provider: 'twilio', sender, windows: new MessagingWindows(deps.db), business: deps.twilio.from, templates: deps.twilio.templates, ...now });
  }
  return undefined;
}
