import { z } from 'zod';
import { SwitchboardError } from './errors.js';

/**
 * The settings of the Meta channels (WhatsApp Cloud API, Messenger, Instagram), one complete set
 * per channel: a channel is mounted only when all four of its variables are set, and a partial
 * set is refused at start-up naming what is missing, in every environment (a webhook whose
 * secret is missing cannot be verified; one without its token cannot answer).
 */
const secret = (what: string) => z.string().min(16, `must be the ${what} (App Dashboard › App settings › Basic › App secret: 32 hex characters)`).optional();
const verifyToken = z.string().min(16, 'must be at least 16 characters: a random string of your own, typed into the webhook settings as the Verify token').regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional();
const accessToken = (what: string) => z.string().min(20, `must be ${what}`).regex(/^\S+$/, 'must not contain spaces').optional();
const nodeId = (what: string) => z.string().regex(/^\d{5,25}$/, `must be the numeric ${what}`).optional();

export const META_CONFIG_VARIABLES = {
  WHATSAPP_APP_SECRET: { schema: secret('Meta app secret'), example: '0123456789abcdef0123456789abcdef', doc: 'App secret of the Meta app whose webhook delivers WhatsApp Cloud API messages: verifies X-Hub-Signature-256. With the other WHATSAPP_ settings (docs/channels.md).' },
  WHATSAPP_VERIFY_TOKEN: { schema: verifyToken, example: 'a-random-whatsapp-verify-token', doc: 'Verify token typed into the WhatsApp webhook settings: GET /channels/whatsapp echoes hub.challenge only for it.' },
  WHATSAPP_ACCESS_TOKEN: { schema: accessToken('a Graph API access token (a System User token with whatsapp_business_messaging)'), example: 'EAAG-your-system-user-token', doc: 'Bearer token replies are sent with (Graph API POST /{phone-number-id}/messages).' },
  WHATSAPP_PHONE_NUMBER_ID: { schema: nodeId('phone number ID (WhatsApp Manager › API Setup)'), example: '106540352242922', doc: 'The WhatsApp business number (its phone-number ID, not the number) customers write to and replies come from.' },
  WHATSAPP_TEMPLATES_FILE: { schema: z.string().min(1).optional(), example: '/etc/switchboard/whatsapp-templates.yaml', doc: 'Approved WhatsApp message templates per use (shipping_update, follow_up, csat): name, language, parameters, and the Twilio contentSid for WhatsApp through Twilio. Unset: channels/meta/templates.yaml.' },
  MESSENGER_APP_SECRET: { schema: secret('Meta app secret'), example: '0123456789abcdef0123456789abcdef', doc: 'App secret of the Meta app subscribed to the Facebook page: verifies Messenger webhooks. With MESSENGER_VERIFY_TOKEN, MESSENGER_PAGE_ACCESS_TOKEN and MESSENGER_PAGE_ID.' },
  MESSENGER_VERIFY_TOKEN: { schema: verifyToken, example: 'a-random-messenger-verify-token', doc: 'Verify token of the Messenger webhook (GET /channels/messenger).' },
  MESSENGER_PAGE_ACCESS_TOKEN: { schema: accessToken('the page access token (pages_messaging)'), example: 'EAAG-your-page-access-token', doc: 'Page access token replies are sent with (Send API).' },
  MESSENGER_PAGE_ID: { schema: nodeId('Facebook page ID'), example: '104857392011223', doc: 'The Facebook page customers write to.' },
  INSTAGRAM_APP_SECRET: { schema: secret('Meta app secret'), example: '0123456789abcdef0123456789abcdef', doc: 'App secret of the Meta app subscribed to the Instagram account: verifies Instagram webhooks. With INSTAGRAM_VERIFY_TOKEN, INSTAGRAM_ACCESS_TOKEN and INSTAGRAM_ACCOUNT_ID.' },
  INSTAGRAM_VERIFY_TOKEN: { schema: verifyToken, example: 'a-random-instagram-verify-token', doc: 'Verify token of the Instagram webhook (GET /channels/instagram).' },
  INSTAGRAM_ACCESS_TOKEN: { schema: accessToken('the access token of the page linked to the account (instagram_manage_messages)'), example: 'EAAG-your-page-access-token', doc: 'Token replies are sent with (Send API for Instagram).' },
  INSTAGRAM_ACCOUNT_ID: { schema: nodeId('Instagram professional account ID'), example: '17841400000000000', doc: 'The Instagram professional account customers write to.' },
} as const;

type MetaVariable = keyof typeof META_CONFIG_VARIABLES;
type MetaConfig = Partial<Record<MetaVariable, string | undefined>>;

/** Each channel's complete set, in the order errors name them. */
export const META_CHANNEL_SETTINGS = {
  whatsapp: ['WHATSAPP_APP_SECRET', 'WHATSAPP_VERIFY_TOKEN', 'WHATSAPP_ACCESS_TOKEN', 'WHATSAPP_PHONE_NUMBER_ID'],
  messenger: ['MESSENGER_APP_SECRET', 'MESSENGER_VERIFY_TOKEN', 'MESSENGER_PAGE_ACCESS_TOKEN', 'MESSENGER_PAGE_ID'],
  instagram: ['INSTAGRAM_APP_SECRET', 'INSTAGRAM_VERIFY_TOKEN', 'INSTAGRAM_ACCESS_TOKEN', 'INSTAGRAM_ACCOUNT_ID'],
} as const satisfies Record<string, readonly MetaVariable[]>;

/** Refuses a partial set: names every missing variable of each channel that has any set. */
export function checkMetaChannels(config: MetaConfig & { TWILIO_WHATSAPP_FROM?: string | undefined }): void {
  const problems: Array<{ path: string; message: string }> = [];
  const lines: string[] = [];
  for (const [channel, names] of Object.entries(META_CHANNEL_SETTINGS)) {
    const given = names.filter((n) => config[n] !== undefined);
    if (given.length === 0 || given.length === names.length) continue;
    for (const name of names.filter((n) => config[n] === undefined)) {
      problems.push({ path: name, message: `required with ${given.join(', ')}` });
      lines.push(`${name} is required with ${given.join(', ')}: the ${channel} channel needs all of ${names.join(', ')} (or none). Example: ${name}=${META_CONFIG_VARIABLES[name].example}`);
    }
  }
  if (problems.length > 0) throw new SwitchboardError('SB_ERR_CONFIG', lines.join('\n'), problems);
  // WhatsApp through Twilio reads the same file (its templates' contentSid).
  if (config.WHATSAPP_TEMPLATES_FILE !== undefined && config.WHATSAPP_PHONE_NUMBER_ID === undefined && config.TWILIO_WHATSAPP_FROM === undefined) {
    throw new SwitchboardError('SB_ERR_CONFIG', 'WHATSAPP_TEMPLATES_FILE is set but no WhatsApp channel is: set WHATSAPP_APP_SECRET, WHATSAPP_VERIFY_TOKEN, WHATSAPP_ACCESS_TOKEN and WHATSAPP_PHONE_NUMBER_ID (Cloud API) or TWILIO_WHATSAPP_FROM (Twilio), or unset it', [
      { path: 'WHATSAPP_TEMPLATES_FILE', message: 'only with the WhatsApp channel' },
    ]);
  }
}
