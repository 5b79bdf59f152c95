import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { signMetaBody } from '../channels/meta/signature.js';

/** One request the stand-in received at `POST /{version}/{node}/messages`. */
export interface GraphCall {
  version: string;
  node: string;
  /** The bearer token matched the one the stand-in was started with. */
  authorized: boolean;
  body: Record<string, unknown>;
  /** The id it answered with; null when it answered an error. */
  id: string | null;
}

/** A scripted answer: an HTTP status, headers, and Meta's error body. */
export interface GraphFailure {
  status: number;
  headers?: Record<string, string>;
  code?: number;
}

/** Meta's documented error codes the tests script. */
export const META_ERRORS = {
  reengagement: { status: 400, code: 131047 },
  undeliverable: { status: 400, code: 131026 },
  unavailable: { status: 500, code: 131000 },
} as const;

/**
 * A loopback stand-in of the Graph API's send endpoints, speaking their documented wire format:
 * the Cloud API (`messaging_product: "whatsapp"` → `{ messages: [{ id: "wamid…" }] }`) and the
 * Send API (`{ recipient_id, message_id }`). It records every call, answers 401 without the
 * bearer token, and answers scripted failures (500, 429 with Retry-After, Meta error codes).
 */
export class MetaGraphApiStandIn {
  readonly calls: GraphCall[] = [];
  readonly accessToken = `EAAG${randomBytes(16).toString('hex')}`;
  private readonly script: GraphFailure[] = [];
  private readonly refusals = new Map<string, GraphFailure>();
  private server: http.Server | null = null;
  private port = 0;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => this.answer(req, Buffer.concat(chunks), res));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next sends, whoever they are for, answer these in order. */
  failNext(...failures: GraphFailure[]): void {
    this.script.push(...failures);
  }

  /** Every send to `recipient` answers this. */
  refuse(recipient: string, failure: GraphFailure): void {
    this.refusals.set(recipient, failure);
  }

  /** Calls that were accepted, to one recipient (wa_id / user id / PSID), in order. */
  to(recipient: string): GraphCall[] {
    return this.calls.filter((c) => c.id !== null && recipientOf(c.body) === recipient);
  }

  /** Every call to one recipient, accepted or not. */
  attemptsTo(recipient: string): GraphCall[] {
    return this.calls.filter((c) => recipientOf(c.body) === recipient);
  }

  private answer(req: http.IncomingMessage, raw: Buffer, res: http.ServerResponse): void {
    const match = /^\/(v\d+\.\d+)\/([^/]+)\/messages$/.exec(req.url ?? '');
    if (req.method !== 'POST' || match === null) {
      res.writeHead(404, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Unknown path', type: 'GraphMethodException', code: 100 } }));
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw.toString('utf8')) as Record<string, unknown>;
    } catch {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Invalid JSON', type: 'OAuthException', code: 100 } }));
      return;
    }
    const authorized = req.headers.authorization === `Bearer ${this.accessToken}`;
    const call: GraphCall = { version: match[1]!, node: decodeURIComponent(match[2]!), authorized, body, id: null };
    this.calls.push(call);
    if (!authorized) return fail(res, { status: 401, code: 190 });
    const failure = this.script.shift() ?? this.refusals.get(recipientOf(body) ?? '');
    if (failure !== undefined) return fail(res, failure);
    const whatsapp = body.messaging_product === 'whatsapp';
    call.id = whatsapp ? `wamid.${randomBytes(18).toString('base64url')}` : `m_${randomBytes(18).toString('base64url')}`;
    const recipient = recipientOf(body);
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify(whatsapp ? { messaging_product: 'whatsapp', contacts: [{ input: recipient, wa_id: recipient }], messages: [{ id: call.id }] } : { recipient_id: recipient, message_id: call.id }),
    );
  }
}

function recipientOf(body: Record<string, unknown>): string | undefined {
  if (typeof body.to === 'string') return body.to;
  if (typeof body.recipient === 'string') return body.recipient;
  const recipient = body.recipient as { id?: unknown } | undefined;
  return typeof recipient?.id === 'string' ? recipient.id : undefined;
}

function fail(res: http.ServerResponse, failure: GraphFailure): void {
  res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers }).end(
    JSON.stringify({ error: { message: `(#${failure.code ?? failure.status}) scripted failure`, type: 'OAuthException', code: failure.code ?? failure.status, fbtrace_id: 'AbCdEf' } }),
  );
}

// --- Webhooks Meta would post ------------------------------------------------------------------

let sequence = 0;
/** A fresh wamid, as Meta's are (opaque, unique). */
export const wamid = (): string => `wamid.HBgL${randomBytes(12).toString('hex')}${(sequence += 1)}`;

export interface WhatsAppInbound {
  from: string;
  id?: string;
  name?: string;
  /** A business-scoped user id besides (or, with `from` empty, instead of) the wa_id. */
  userId?: string;
  /** Unix seconds; default now. */
  timestamp?: number;
  text?: string;
  buttonReply?: { id: string; title: string };
}

/** One `messages` change for the configured number, any number of messages and contacts. */
export function whatsAppMessagesWebhook(phoneNumberId: string, messages: WhatsAppInbound[]): Record<string, unknown> {
  const contacts = [...new Map(messages.map((m) => [m.from || m.userId, { ...(m.from ? { wa_id: m.from } : {}), ...(m.userId ? { user_id: m.userId } : {}), profile: { name: m.name ?? 'Customer' } }])).values()];
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              contacts,
              messages: messages.map((m) => ({
                ...(m.from ? { from: m.from } : { from_user_id: m.userId }),
                id: m.id ?? wamid(),
                timestamp: String(m.timestamp ?? Math.floor(Date.now() / 1000)),
                ...(m.buttonReply !== undefined ? { type: 'interactive', interactive: { type: 'button_reply', button_reply: m.buttonReply } } : { type: 'text', text: { body: m.text ?? '' } }),
              })),
            },
          },
        ],
      },
    ],
  };
}

/** A `statuses` change: what became of messages we sent. */
export function whatsAppStatusesWebhook(phoneNumberId: string, statuses: Array<{ id: string; status: 'sent' | 'delivered' | 'read' | 'failed'; recipient: string }>): Record<string, unknown> {
  return {
    object: 'whatsapp_business_account',
    entry: [
      {
        id: '102290129340398',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: '15550783881', phone_number_id: phoneNumberId },
              statuses: statuses.map((s) => ({ id: s.id, status: s.status, timestamp: String(Math.floor(Date.now() / 1000)), recipient_id: s.recipient })),
            },
          },
        ],
      },
    ],
  };
}

/** A Messenger (`page`) or Instagram webhook with one customer message. */
export function messagingWebhook(object: 'page' | 'instagram', businessId: string, message: { from: string; mid?: string; text: string; quickReply?: string }): Record<string, unknown> {
  return {
    object,
    entry: [
      {
        id: businessId,
        time: Date.now(),
        messaging: [
          {
            sender: { id: message.from },
            recipient: { id: businessId },
            timestamp: Date.now(),
            message: { mid: message.mid ?? `m_${randomBytes(12).toString('hex')}`, text: message.text, ...(message.quickReply !== undefined ? { quick_reply: { payload: message.quickReply } } : {}) },
          },
        ],
      },
    ],
  };
}

/** Posts a webhook as Meta does: the exact bytes, signed with the app secret (or as `sign` says). */
export async function postMetaWebhook(
  serviceUrl: string,
  channel: 'whatsapp' | 'messenger' | 'instagram',
  appSecret: string,
  payload: Record<string, unknown> | string,
  sign: (body: string) => Record<string, string> = (body) => ({ 'x-hub-signature-256': signMetaBody(appSecret, body) }),
): Promise<Response> {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return fetch(`${serviceUrl}/channels/${channel}`, { method: 'POST', headers: { 'content-type': 'application/json', ...sign(body) }, body });
}

/** The service's environment for the three Meta channels, talking to `api` (with `metaApiOrigin`). */
export function metaEnv(api: MetaGraphApiStandIn): { env: Record<string, string>; secrets: Record<'whatsapp' | 'messenger' | 'instagram', string>; verifyToken: string; ids: Record<'whatsapp' | 'messenger' | 'instagram', string> } {
  const secrets = { whatsapp: randomBytes(16).toString('hex'), messenger: randomBytes(16).toString('hex'), instagram: randomBytes(16).toString('hex') };
  const verifyToken = `verify-${randomBytes(12).toString('hex')}`;
  const ids = { whatsapp: '106540352242922', messenger: '104857392011223', instagram: '17841400000000000' };
  return {
    secrets,
    verifyToken,
    ids,
    env: {
      WHATSAPP_APP_SECRET: secrets.whatsapp,
      WHATSAPP_VERIFY_TOKEN: verifyToken,
      WHATSAPP_ACCESS_TOKEN: api.accessToken,
      WHATSAPP_PHONE_NUMBER_ID: ids.whatsapp,
      MESSENGER_APP_SECRET: secrets.messenger,
      MESSENGER_VERIFY_TOKEN: verifyToken,
      MESSENGER_PAGE_ACCESS_TOKEN: api.accessToken,
      MESSENGER_PAGE_ID: ids.messenger,
      INSTAGRAM_APP_SECRET: secrets.instagram,
      INSTAGRAM_VERIFY_TOKEN: verifyToken,
      INSTAGRAM_ACCESS_TOKEN: api.accessToken,
      INSTAGRAM_ACCOUNT_ID: ids.instagram,
    },
  };
}
