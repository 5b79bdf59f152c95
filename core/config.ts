import proxyaddr from 'proxy-addr';
import { z } from 'zod';
import { SwitchboardError } from './errors.js';
import { checkMetaChannels, META_CHANNEL_SETTINGS, META_CONFIG_VARIABLES } from './meta-config.js';
import { TimeZoneSchema } from './time-zone.js';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const port = z.coerce.number().int().min(0).max(65535);

/**
 * Every environment variable Switchboard reads. Each entry: schema, example (shown in
 * errors and the README table) and what it does. Add a variable here or nowhere.
 */
export const CONFIG_VARIABLES = {
  NODE_ENV: { schema: z.enum(['development', 'production', 'test']).default('development'), example: 'production', doc: 'production refuses the development defaults (it needs DATABASE_URL, REDIS_URL or SINGLE_INSTANCE=true, SESSION_SECRET and a way to deliver one-time codes) and turns the demo seed off.' },
  PORT: { schema: port.default(3000), example: '8080', doc: 'HTTP port.' },
  HOST: { schema: z.string().min(1).default('0.0.0.0'), example: '127.0.0.1', doc: 'Interface to listen on.' },
  TRUST_PROXY: { schema: z.string().optional().refine((v) => v === undefined || isValidTrustProxy(v), 'must be a hop count, loopback, linklocal, uniquelocal, or comma-separated addresses/CIDRs'), example: '10.0.0.0/8,loopback', doc: 'Proxies whose X-Forwarded-For is believed (express "trust proxy" syntax: a hop count, loopback, uniquelocal, or addresses/CIDRs). Unset: none, the client address is the socket peer.' },
  PUBLIC_URL: { schema: z.url().optional(), example: 'https://support.example.com', doc: 'Public base URL (links in messages, webhook signatures behind a proxy). Default http://localhost:PORT.' },
  DATA_DIR: { schema: z.string().min(1).default('./data'), example: '/var/lib/switchboard', doc: 'Where the embedded database and generated development secrets live.' },
  DATABASE_URL: { schema: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL').optional(), example: 'postgres://user:pass@db:5432/switchboard', doc: 'Postgres server. Unset: embedded PGlite under DATA_DIR.' },
  REDIS_URL: { schema: z.string().regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL').optional(), example: 'redis://127.0.0.1:6379', doc: 'Redis for conversation state, locks, idempotency and pub/sub across instances. Unset: in-process (one instance).' },
  SINGLE_INSTANCE: { schema: bool.default(false), example: 'true', doc: 'Declares that exactly one instance runs, so production may keep state in-process without REDIS_URL. Never with several instances: their turns of one conversation would interleave.' },
  REDIS_KEY_PREFIX: { schema: z.string().default('sb:'), example: 'shop1:', doc: 'Prefix of every Redis key.' },
  LOG_LEVEL: { schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'), example: 'debug', doc: 'Log level; message text is logged only at debug.' },
  SESSION_SECRET: { schema: z.string().min(32, 'must be at least 32 characters').optional(), example: 'a-long-random-string-of-32-or-more-chars', doc: 'Signs web-chat session tokens. Required in production; generated under DATA_DIR otherwise.' },
  SESSION_SECRET_PREVIOUS: { schema: z.string().optional().refine((v) => v === undefined || v.split(',').every((s) => s.trim().length >= 32), 'must be comma-separated secrets of at least 32 characters'), example: 'the-secret-you-are-rotating-away-from-32+', doc: 'Earlier SESSION_SECRET values (comma-separated) whose tokens are still accepted while they expire, so the secret can be rotated without logging every visitor out.' },
  WEBCHAT_TOKEN_TTL_HOURS: { schema: z.coerce.number().int().min(1).max(24 * 365).default(24 * 30), example: '168', doc: 'How long a web-chat session token is valid; the widget then starts a new session.' },
  ADMIN_TOKEN: { schema: z.string().min(24, 'must be at least 24 characters').optional(), example: 'a-random-token-of-24-or-more-chars', doc: 'Bearer token for /admin endpoints. Unset: generated under DATA_DIR in development, admin API off in production.' },
  METRICS_TOKEN: { schema: z.string().min(24, 'must be at least 24 characters').optional(), example: 'a-random-metrics-token-of-24-chars', doc: 'Bearer token Prometheus sends to GET /metrics. Unset: /metrics answers everyone (keep it off the public side of the proxy).' },
  SEED_DEMO: { schema: bool.optional(), example: 'false', doc: 'Seed the demo shop (customers, products, orders, devices) and its knowledge-base articles into an empty database. Default true except in production.' },
  DEV_OUTBOX: { schema: bool.optional(), example: 'false', doc: 'Keep outgoing emails/SMS (verification codes) in the development outbox at /dev/outbox when SMTP_URL (emails) or Twilio (SMS) is not configured. Default on in development, served to loopback clients only; `true` serves it to every client. Refused in production.' },
  SMTP_URL: { schema: z.string().regex(/^smtps?:\/\/[^/\s]+/, 'must be an smtp:// (STARTTLS) or smtps:// (TLS) URL with a host').optional(), example: 'smtp://user:pass@smtp.example.com:587', doc: 'Mail server that sends emails (one-time codes, reset links, confirmations): smtp:// upgrades with STARTTLS, smtps:// is TLS from the start; user and password URL-encoded. With MAIL_FROM.' },
  MAIL_FROM: { schema: z.string().max(320).regex(/^(?:[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/, 'must be an address, optionally with a name: Name <address>').optional(), example: '"Voltline Support" <support@example.com>', doc: 'Sender of the emails sent over SMTP_URL.' },
  TWILIO_ACCOUNT_SID: { schema: z.string().regex(/^AC[0-9a-fA-F]{32}$/, 'must be AC followed by 32 hex digits (Twilio Console › Account info)').optional(), example: 'AC0123456789abcdef0123456789abcdef', doc: 'Twilio account that sends SMS (one-time codes to the phone on file). With TWILIO_AUTH_TOKEN and TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM.' },
  TWILIO_AUTH_TOKEN: { schema: z.string().min(16, 'must be the account\'s auth token (32 characters)').optional(), example: 'your-32-character-twilio-auth-token', doc: 'Auth token of TWILIO_ACCOUNT_SID (Twilio Console › Account info).' },
  TWILIO_MESSAGING_SERVICE_SID: { schema: z.string().regex(/^MG[0-9a-fA-F]{32}$/, 'must be MG followed by 32 hex digits').optional(), example: 'MG0123456789abcdef0123456789abcdef', doc: 'Messaging Service SMS are sent through (Twilio picks the sender from its pool). Or TWILIO_FROM.' },
  TWILIO_FROM: { schema: z.string().regex(/^\+[1-9]\d{6,14}$/, 'must be a phone number in E.164 form, + and digits only').optional(), example: '+14155550100', doc: 'Twilio phone number SMS are sent from, when no TWILIO_MESSAGING_SERVICE_SID is set.' },
  TWILIO_WHATSAPP_FROM: { schema: z.string().regex(/^whatsapp:\+[1-9]\d{6,14}$/, 'must be whatsapp: followed by the E.164 number of your Twilio WhatsApp sender, e.g. whatsapp:+14155550100').optional(), example: 'whatsapp:+14155550100', doc: 'Twilio WhatsApp sender replies come from (WhatsApp over Twilio, docs/channels.md). With TWILIO_ACCOUNT_SID. Unset: WhatsApp messages to the Twilio webhook are ignored.' },
  TWILIO_REPLY_BUDGET_MS: { schema: z.coerce.number({ error: 'must be a number of milliseconds' }).int('must be a whole number of milliseconds').min(0, 'must be 0 or more (0: always reply through the REST API)').max(14_000, 'must be at most 14000: Twilio gives up on a webhook after 15 s').default(3000), example: '2000', doc: 'How long the Twilio webhook waits for the bot\'s reply to return it as TwiML in its response; a reply not ready by then goes out through the REST API. 0: always REST.' },
  SMS_MAX_PARTS: { schema: z.coerce.number({ error: 'must be a number of messages' }).int('must be a whole number').min(1, 'must be at least 1').max(10, 'must be at most 10 (longer answers link to the help page)').default(6), example: '4', doc: 'Most SMS one reply is split into (153 GSM-7 or 67 UCS-2 characters each); a longer answer is shortened and links to PUBLIC_URL/help.' },
  SHOP_HELP_TEXT: { schema: z.string().trim().min(1, 'must not be empty').max(300, 'must be at most 300 characters (two SMS)').optional(), example: 'Voltline support: reply with your question or call 1-800-555-0100. Reply STOP to opt out.', doc: 'What an SMS of HELP or INFO is answered with. Unset: the shop\'s name, the help page and how to opt out.' },
  ORDER_NUMBER_PATTERN: { schema: z.string().default('\\d{6}').refine(isValidRegex, 'must be a valid regular expression'), example: '[A-Z]{2}\\d{8}', doc: 'Regular expression of the shop\'s order numbers (matched as a whole word).' },
  OTP_TTL_SECONDS: { schema: z.coerce.number().int().min(60).max(3600).default(600), example: '300', doc: 'How long a verification code is valid.' },
  OTP_MAX_ATTEMPTS: { schema: z.coerce.number().int().min(1).max(20).default(5), example: '3', doc: 'Wrong codes allowed per 15 minutes per conversation, contact and verification target (order, customer, claimed email/phone) before verification is paused.' },
  OTP_MAX_ATTEMPTS_PER_IP: { schema: z.coerce.number().int().min(1).max(1000).default(20), example: '50', doc: 'Wrong codes, identity claims and resends allowed per 15 minutes from one client IP, across sessions and instances.' },
  OTP_SENDS_PER_HOUR: { schema: z.coerce.number().int().min(1).max(100).default(5), example: '3', doc: 'Verification codes sent to one customer per hour.' },
  VERIFICATION_TTL_HOURS: { schema: z.coerce.number().int().min(1).max(24 * 90).default(24), example: '4', doc: 'How long a conversation stays verified; then the customer proves who they are again.' },
  WEBCHAT_MESSAGES_PER_MINUTE: { schema: z.coerce.number().int().min(1).default(30), example: '60', doc: 'Messages one web-chat visitor may send per minute before getting 429.' },
  WEBCHAT_SESSIONS_PER_HOUR: { schema: z.coerce.number().int().min(1).default(60), example: '600', doc: 'New web-chat sessions per client IP per hour.' },
  WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: { schema: z.coerce.number().int().min(1).default(120), example: '600', doc: 'Messages per minute from one client IP, whichever visitor ids it uses (shared across instances).' },
  SOCKETS_PER_IP: { schema: z.coerce.number().int().min(1).default(20), example: '50', doc: 'Concurrent WebSocket connections one client IP may hold.' },
  SOCKETS_TOTAL: { schema: z.coerce.number().int().min(1).default(10_000), example: '20000', doc: 'Concurrent WebSocket connections per instance; further upgrades get 503.' },
  TURN_LOCK_TTL_MS: { schema: z.coerce.number().int().min(1000).max(120_000).default(30_000), example: '60000', doc: 'Lifetime of a conversation lock whose holder died.' },
  NLU_PROVIDER: { schema: z.enum(['local', 'dialogflow', 'llm']).default('local'), example: 'dialogflow', doc: 'Intent engine: local classifier (default, offline), Dialogflow ES, or an LLM through langchain.' },
  DIALOGFLOW_PROJECT_ID: { schema: z.string().optional(), example: 'my-agent-1234', doc: 'Dialogflow ES agent project (with GOOGLE_APPLICATION_CREDENTIALS).' },
  LLM_BASE_URL: { schema: z.url().optional(), example: 'http://127.0.0.1:11434/v1', doc: 'OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, llama.cpp) for the LLM classifier, generative answers and the agent console (conversation summaries, reply drafts).' },
  LLM_MODEL: { schema: z.string().optional(), example: 'gpt-4o-mini', doc: 'Chat model name at LLM_BASE_URL.' },
  LLM_API_KEY: { schema: z.string().optional(), example: 'sk-...', doc: 'API key for LLM_BASE_URL.' },
  TEST_CHANNEL_SECRET: { schema: z.string().min(32, 'must be at least 32 characters').optional(), example: 'a-long-random-test-channel-secret-32+', doc: 'Mounts the loopback test channel at /channels/test (HMAC-signed webhooks, text only) to prove the connector contract end to end. Unset: not mounted. Refused in production.' },
  TEST_CHANNEL_OUTBOUND_URL: { schema: z.url({ protocol: /^https?$/ }).optional().refine((v) => v === undefined || isLoopbackUrl(v), 'must be an http(s) URL on a loopback host (127.0.0.1, ::1, localhost)'), example: 'http://127.0.0.1:4010/messages', doc: 'Where the test channel posts its replies (signed with TEST_CHANNEL_SECRET). Required with TEST_CHANNEL_SECRET; loopback hosts only.' },
  AGENT_SESSION_TTL_HOURS: { schema: z.coerce.number().int().min(1).max(24 * 30).default(12), example: '8', doc: 'How long an agent console sign-in lasts (server-side session in the state backend); then the agent signs in again.' },
  AGENT_LOGIN_MAX_ATTEMPTS: { schema: z.coerce.number().int().min(1).max(100).default(5), example: '10', doc: 'Failed agent sign-ins allowed per 15 minutes per account before sign-in to it answers 429 (shared across instances).' },
  AGENT_LOGIN_MAX_ATTEMPTS_PER_IP: { schema: z.coerce.number().int().min(1).max(10_000).default(20), example: '100', doc: 'Failed agent sign-ins allowed per 15 minutes from one client IP, whichever accounts it tries.' },
  ROUTING_AUTO_ASSIGN: { schema: bool.default(true), example: 'false', doc: 'Offer queued conversations to online agents with free capacity (priority first, then longest waiting). Off: agents only claim from the queue.' },
  ROUTING_OFFER_TIMEOUT_SECONDS: { schema: z.coerce.number().int().min(5).max(3600).default(30), example: '45', doc: 'How long an agent has to accept an offered conversation before it goes back to the queue and to the next agent (a durable job).' },
  AGENT_AWAY_AFTER_SECONDS: { schema: z.coerce.number().int().min(30).max(24 * 3600).default(300), example: '120', doc: 'An online agent whose console sent no heartbeat for this long counts as away: routing offers them nothing until the next one.' },
  PASSWORD_RESET_URL: { schema: z.url({ protocol: /^https?$/ }).optional(), example: 'https://shop.example.com/account/forgot-password', doc: 'The shop\'s own password-reset page: the reset email the bot sends links there instead of to the demo shop\'s page at /account/reset, which is then not served. Unset: /account/reset (demo shop).' },
  SHOP_NAME: { schema: z.string().trim().min(1, 'must not be empty').max(60, 'must be at most 60 characters').default('Voltline'), example: 'Acme Electronics', doc: 'The shop\'s name where customers read it: the bot\'s replies, emails and SMS (codes, confirmations), help pages, return labels. Unset: Voltline (the demo shop).' },
  SHOP_TIME_ZONE: { schema: TimeZoneSchema.default('America/Los_Angeles'), example: 'America/New_York', doc: 'IANA time zone dates and times are shown in when the customer\'s channel does not send one (the web chat widget sends the browser\'s).' },
  SHOP_EVENTS_SECRET: { schema: z.string().min(32, 'must be at least 32 characters').optional(), example: 'a-long-random-shop-events-secret-32+', doc: 'Signs POST /admin/shop/events (X-Shop-Signature: sha256= + HMAC-SHA256 of the timestamp, a dot and the raw body; docs/shop-import.md). Unset: the endpoint refuses every request (403).' },
  PROACTIVE_QUIET_HOURS: { schema: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM-HH:MM, e.g. 21:00-08:00').optional(), example: '21:00-08:00', doc: 'When proactive order updates are held (in SHOP_TIME_ZONE); a notice due then goes out when they end. Unset: none.' },
  RETURN_POLICY_FILE: { schema: z.string().min(1).optional(), example: '/etc/switchboard/return-policy.yaml', doc: 'Return policy YAML (windows per category, final sale, restocking fees, holiday dates, return address). Unset: bots/returns/policy.yaml.' },
  HANDOFF_POLICY_FILE: { schema: z.string().min(1).optional(), example: '/etc/switchboard/handoff-policy.yaml', doc: 'Handoff policy YAML (priority, category, team and skills per handoff reason; SLA targets and business hours per team; see docs/agents.md). Unset: handoff/policy.yaml.' },
  CANNED_RESPONSES_FILE: { schema: z.string().min(1).optional(), example: '/etc/switchboard/canned-responses.yaml', doc: 'Canned responses for the agent console (title, /shortcut, teams, text with placeholders; see docs/agents.md). Unset: handoff/canned-responses.yaml.' },
  PROFILE_FIELDS_FILE: { schema: z.string().min(1).optional(), example: '/etc/switchboard/profile-fields.yaml', doc: 'Customer profile fields YAML (name, contacts, account ID and extra fields: type, mandatory, format and hint; see docs/profiles-and-cases.md). Unset: crm/profile-fields.yaml.' },
  // WhatsApp Cloud API, Messenger and Instagram (core/meta-config.ts; docs/channels.md).
  ...META_CONFIG_VARIABLES,
  WHATSAPP_WEB: { schema: bool.default(false), example: 'true', doc: 'WhatsApp through whatsapp-web.js, for a shop without a WhatsApp Business account: the service logs in to WhatsApp Web in Chromium as a linked device (scan the QR code at /admin/whatsapp-web; the session is kept in DATA_DIR/whatsapp-web). Unofficial: WhatsApp may ban a number that uses it; use the Cloud API in production (docs/channels.md). Not with the Cloud API or TWILIO_WHATSAPP_FROM. One instance only.' },
  WHATSAPP_WEB_CHROMIUM: { schema: z.string().regex(/^\//, 'must be the absolute path of a Chromium binary').default('/usr/bin/chromium'), example: '/usr/bin/chromium', doc: 'Chromium that WHATSAPP_WEB drives (Debian: apt-get install chromium); puppeteer downloads no browser of its own.' },
  CASE_TEMPLATES_FILE: { schema: z.string().min(1).optional(), example: '/etc/switchboard/case-templates.yaml', doc: 'Case templates YAML (versioned; fields, category, default priority, team and the bot cases each takes; see docs/profiles-and-cases.md). Unset: crm/case-templates.yaml.' },
} as const;

type Vars = typeof CONFIG_VARIABLES;
type RawConfig = { [K in keyof Vars]: z.infer<Vars[K]['schema']> };

export interface Config extends Omit<RawConfig, 'PUBLIC_URL' | 'SEED_DEMO' | 'DEV_OUTBOX'> {
  PUBLIC_URL: string;
  SEED_DEMO: boolean;
  /** Outgoing emails/SMS are kept in the development outbox. */
  DEV_OUTBOX: boolean;
  /** The outbox is served to every client, not only loopback: only when DEV_OUTBOX=true was set explicitly. */
  DEV_OUTBOX_PUBLIC: boolean;
}

function isValidTrustProxy(value: string): boolean {
  if (/^\d+$/.test(value.trim())) return true;
  try {
    proxyaddr.compile(value.split(',').map((s) => s.trim()));
    return true;
  } catch {
    return false;
  }
}

/** The test channel talks only to this machine: it is never a way to post customers' messages elsewhere. */
function isLoopbackUrl(value: string): boolean {
  const host = new URL(value).hostname;
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

function isValidRegex(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

/**
 * Reads and validates the configuration. A bad value throws SB_ERR_CONFIG whose message is
 * one line naming the variable, what is wrong and an example of a good value.
 */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const raw: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(CONFIG_VARIABLES)) {
    const value = env[name];
    const parsed = spec.schema.safeParse(value === '' ? undefined : value);
    if (!parsed.success) {
      const why = parsed.error.issues[0]?.message ?? 'is invalid';
      throw new SwitchboardError(
        'SB_ERR_CONFIG',
        `${name}=${JSON.stringify(value)} is invalid: ${why}. Example: ${name}=${spec.example}`,
        [{ path: name, message: why }],
      );
    }
    raw[name] = parsed.data;
  }
  const config = raw as RawConfig;
  const production = config.NODE_ENV === 'production';
  checkTransports(config);
  if (production) {
    const refusals = productionRefusals(config);
    if (refusals.length > 0) {
      throw new SwitchboardError(
        'SB_ERR_CONFIG',
        refusals.map((r) => r.line).join('\n'),
        refusals.map((r) => ({ path: r.variable, message: r.message ?? 'required in production' })),
      );
    }
  }
  checkTestChannel(config, production);
  checkTwilioWhatsApp(config);
  checkMetaChannels(config);
  checkWhatsAppWeb(config);
  return {
    ...config,
    PUBLIC_URL: (config.PUBLIC_URL ?? `http://localhost:${config.PORT}`).replace(/\/$/, ''),
    SEED_DEMO: config.SEED_DEMO ?? !production,
    DEV_OUTBOX: config.DEV_OUTBOX ?? !production,
    DEV_OUTBOX_PUBLIC: config.DEV_OUTBOX === true,
  };
}

/** WhatsApp through Twilio sends as the account: without it the sender would be configured and unusable. */
function checkTwilioWhatsApp(config: Pick<RawConfig, 'TWILIO_WHATSAPP_FROM' | 'TWILIO_ACCOUNT_SID'>): void {
  if (config.TWILIO_WHATSAPP_FROM !== undefined && config.TWILIO_ACCOUNT_SID === undefined) {
    throw new SwitchboardError('SB_ERR_CONFIG', `TWILIO_ACCOUNT_SID is required with TWILIO_WHATSAPP_FROM: the account that sends WhatsApp messages. Example: TWILIO_ACCOUNT_SID=${CONFIG_VARIABLES.TWILIO_ACCOUNT_SID.example}`, [
      { path: 'TWILIO_ACCOUNT_SID', message: 'with TWILIO_WHATSAPP_FROM: the account that sends WhatsApp messages' },
    ]);
  }
}

/** One line of a production refusal: the variable, why, and an example of a good value. */
export interface ProductionRefusal {
  variable: keyof Vars;
  line: string;
  /** The detail's message; 'required in production' unless the variable is set to something production refuses. */
  message?: string;
}

/**
 * What production will not run without, every problem at once (an operator fixes them in one go).
 * The embedded defaults are right for a laptop and wrong for a shop: PGlite runs on the event
 * loop of one process, in-process locks let two instances interleave one conversation's turns,
 * a generated session secret differs per instance, a code nobody receives verifies nobody, and
 * one the development outbox shows to anyone verifies anyone.
 */
export function productionRefusals(config: RawConfig): ProductionRefusal[] {
  const refusals: ProductionRefusal[] = [];
  const required = (variable: keyof Vars, why: string, example = `${variable}=${CONFIG_VARIABLES[variable].example}`) =>
    refusals.push({ variable, line: `${variable} is required when NODE_ENV=production: ${why}. Example: ${example}` });
  if (config.DATABASE_URL === undefined) {
    required('DATABASE_URL', 'the embedded PGlite database is for development (one process, on its event loop)');
  }
  if (config.REDIS_URL === undefined && !config.SINGLE_INSTANCE) {
    required('REDIS_URL', 'without it locks, idempotency keys and pub/sub live in one process; set SINGLE_INSTANCE=true if exactly one instance runs', `REDIS_URL=${CONFIG_VARIABLES.REDIS_URL.example}`);
  }
  if (config.SESSION_SECRET === undefined) {
    required('SESSION_SECRET', 'set it to a random string of 32+ characters, the same on every instance');
  }
  if (config.DEV_OUTBOX === true) {
    refusals.push({
      variable: 'DEV_OUTBOX',
      message: 'not allowed in production',
      line: 'DEV_OUTBOX=true is not allowed when NODE_ENV=production: the development outbox shows every code and reset link to whoever asks; deliver them by email or SMS instead. Example: DEV_OUTBOX=false',
    });
  }
  const transports = notificationTransports(config);
  if (transports.email === null && transports.sms === null) {
    refusals.push({
      variable: 'SMTP_URL',
      line:
        'A way to deliver one-time codes is required when NODE_ENV=production: email over SMTP (SMTP_URL and MAIL_FROM) or SMS through Twilio ' +
        `(TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN and TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM). Example: SMTP_URL=${CONFIG_VARIABLES.SMTP_URL.example} MAIL_FROM=support@example.com`,
    });
  }
  return refusals;
}

/** Email over SMTP: both settings, checked together by `loadConfig`. */
export interface SmtpSettings {
  url: string;
  from: string;
}

/** SMS through Twilio's Messages API: the account and who the messages come from. */
export interface TwilioSmsSettings {
  accountSid: string;
  authToken: string;
  sender: { kind: 'messaging_service'; sid: string } | { kind: 'number'; from: string };
}

/** How notifications (codes, reset links, confirmations) can leave, by transport; null where not configured. */
export interface NotificationTransports {
  email: SmtpSettings | null;
  sms: TwilioSmsSettings | null;
}

type TransportVariables = Pick<RawConfig, 'SMTP_URL' | 'MAIL_FROM' | 'TWILIO_ACCOUNT_SID' | 'TWILIO_AUTH_TOKEN' | 'TWILIO_MESSAGING_SERVICE_SID' | 'TWILIO_FROM'>;

/** The configured transports. Only complete ones count: a half-configured one is refused by `loadConfig`. */
export function notificationTransports(config: TransportVariables): NotificationTransports {
  const email = config.SMTP_URL !== undefined && config.MAIL_FROM !== undefined ? { url: config.SMTP_URL, from: config.MAIL_FROM } : null;
  const sender =
    config.TWILIO_MESSAGING_SERVICE_SID !== undefined
      ? { kind: 'messaging_service' as const, sid: config.TWILIO_MESSAGING_SERVICE_SID }
      : config.TWILIO_FROM !== undefined
        ? { kind: 'number' as const, from: config.TWILIO_FROM }
        : null;
  const sms =
    config.TWILIO_ACCOUNT_SID !== undefined && config.TWILIO_AUTH_TOKEN !== undefined && sender !== null
      ? { accountSid: config.TWILIO_ACCOUNT_SID, authToken: config.TWILIO_AUTH_TOKEN, sender }
      : null;
  return { email, sms };
}

/**
 * A transport is configured completely or not at all: a mail server without a sender, or a
 * Twilio account without its token, would otherwise start and drop every code it was given.
 */
function checkTransports(config: TransportVariables): void {
  const missing = (variable: keyof TransportVariables, why: string) => {
    throw new SwitchboardError('SB_ERR_CONFIG', `${variable} is required ${why}. Example: ${variable}=${CONFIG_VARIABLES[variable].example}`, [
      { path: variable, message: why },
    ]);
  };
  if (config.SMTP_URL !== undefined && config.MAIL_FROM === undefined) missing('MAIL_FROM', 'with SMTP_URL: the sender of the emails');
  if (config.MAIL_FROM !== undefined && config.SMTP_URL === undefined) missing('SMTP_URL', 'with MAIL_FROM: the mail server that sends the emails');
  const twilio = [config.TWILIO_ACCOUNT_SID, config.TWILIO_AUTH_TOKEN, config.TWILIO_MESSAGING_SERVICE_SID, config.TWILIO_FROM].some((v) => v !== undefined);
  if (!twilio) return;
  if (config.TWILIO_ACCOUNT_SID === undefined) missing('TWILIO_ACCOUNT_SID', 'with the other TWILIO_ settings: the account that sends SMS');
  if (config.TWILIO_AUTH_TOKEN === undefined) missing('TWILIO_AUTH_TOKEN', 'with TWILIO_ACCOUNT_SID: it authenticates the account');
  if (config.TWILIO_MESSAGING_SERVICE_SID === undefined && config.TWILIO_FROM === undefined) {
    missing('TWILIO_MESSAGING_SERVICE_SID', 'with TWILIO_ACCOUNT_SID, or TWILIO_FROM: who the SMS come from');
  }
  if (config.TWILIO_MESSAGING_SERVICE_SID !== undefined && config.TWILIO_FROM !== undefined) {
    throw new SwitchboardError('SB_ERR_CONFIG', 'TWILIO_MESSAGING_SERVICE_SID and TWILIO_FROM are both set: set one, the Messaging Service (it picks the sender) or the number SMS come from', [
      { path: 'TWILIO_FROM', message: 'set TWILIO_MESSAGING_SERVICE_SID or TWILIO_FROM, not both' },
    ]);
  }
}

/**
 * One WhatsApp number, one connector: whatsapp-web.js, the Cloud API and Twilio all speak the
 * `whatsapp` channel, and a reply must leave the way the customer's message came.
 */
function checkWhatsAppWeb(config: RawConfig): void {
  if (!config.WHATSAPP_WEB) return;
  const others = [...META_CHANNEL_SETTINGS.whatsapp, 'TWILIO_WHATSAPP_FROM' as const].filter((name) => config[name] !== undefined);
  if (others.length === 0) return;
  throw new SwitchboardError('SB_ERR_CONFIG', `WHATSAPP_WEB=true and ${others.join(', ')} are both set: one WhatsApp number has one connector. Unset WHATSAPP_WEB to use ${others.includes('TWILIO_WHATSAPP_FROM') ? 'Twilio' : 'the Cloud API'}, or unset ${others.join(', ')} to use whatsapp-web.js`, [
    { path: 'WHATSAPP_WEB', message: `not with ${others.join(', ')}` },
    ...others.map((name) => ({ path: name, message: 'not with WHATSAPP_WEB=true' })),
  ]);
}

/** The test channel is for tests and local trials: never in production, never half configured. */
function checkTestChannel(config: RawConfig, production: boolean): void {
  if (config.TEST_CHANNEL_SECRET === undefined) {
    if (config.TEST_CHANNEL_OUTBOUND_URL !== undefined) {
      throw new SwitchboardError('SB_ERR_CONFIG', 'TEST_CHANNEL_OUTBOUND_URL is set but TEST_CHANNEL_SECRET is not: set both to mount the test channel, or neither', [
        { path: 'TEST_CHANNEL_SECRET', message: 'required with TEST_CHANNEL_OUTBOUND_URL' },
      ]);
    }
    return;
  }
  if (production) {
    throw new SwitchboardError('SB_ERR_CONFIG', 'TEST_CHANNEL_SECRET is set while NODE_ENV=production: the test channel is for tests only; unset it', [
      { path: 'TEST_CHANNEL_SECRET', message: 'not allowed in production' },
    ]);
  }
  if (config.TEST_CHANNEL_OUTBOUND_URL === undefined) {
    throw new SwitchboardError(
      'SB_ERR_CONFIG',
      `TEST_CHANNEL_OUTBOUND_URL is required with TEST_CHANNEL_SECRET: where the test channel posts its replies. Example: TEST_CHANNEL_OUTBOUND_URL=${CONFIG_VARIABLES.TEST_CHANNEL_OUTBOUND_URL.example}`,
      [{ path: 'TEST_CHANNEL_OUTBOUND_URL', message: 'required with TEST_CHANNEL_SECRET' }],
    );
  }
}
