import { randomBytes, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Kysely } from 'kysely';
import { signTestChannelRequest, verifyTestChannelSignature } from '../channels/test-channel/signature.js';
import type { Database } from '../db/schema.js';
import { TestChannelSendSchema, type TestChannelMessage, type TestChannelSend, type TestChannelWebhook } from '../channels/test-channel/wire.js';

/** A secret for the test channel in tests (TEST_CHANNEL_SECRET). */
export function testChannelSecret(): string {
  return `test-channel-${randomBytes(24).toString('hex')}`;
}

/** One reply the provider accepted from Switchboard. */
export interface ProviderDelivery {
  id: string;
  request: TestChannelSend;
}

/**
 * The provider behind the test channel, on loopback: it takes Switchboard's signed sends
 * (refusing unsigned ones with 401), delivers each idempotency key once and answers with its
 * message id, as the wire format promises. Tests read what reached each customer here.
 */
export class TestChannelProvider {
  readonly deliveries: ProviderDelivery[] = [];
  /** Sends refused for a bad signature: a signed sender never causes one. */
  refusedSends = 0;
  private readonly byKey = new Map<string, string>();
  private server: http.Server | null = null;
  private port = 0;

  constructor(readonly secret: string = testChannelSecret()) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.take(Buffer.concat(chunks), req.headers, res));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  /** TEST_CHANNEL_OUTBOUND_URL. */
  get outboundUrl(): string {
    return `http://127.0.0.1:${this.port}/messages`;
  }

  /** The service's environment for this provider. */
  env(): Record<string, string> {
    return { TEST_CHANNEL_SECRET: this.secret, TEST_CHANNEL_OUTBOUND_URL: this.outboundUrl };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    this.server = null;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** What reached one customer, in the order it arrived. */
  to(customerId: string): ProviderDelivery[] {
    return this.deliveries.filter((d) => d.request.to === customerId);
  }

  private take(body: Buffer, headers: http.IncomingHttpHeaders, res: http.ServerResponse): void {
    const flat: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(headers)) flat[name] = Array.isArray(value) ? value.join(', ') : value;
    if (!verifyTestChannelSignature(this.secret, flat, body, new Date()).ok) {
      this.refusedSends += 1;
      res.writeHead(401).end();
      return;
    }
    const parsed = TestChannelSendSchema.safeParse(JSON.parse(body.toString('utf8')));
    if (!parsed.success) {
      res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ error: parsed.error.issues }));
      return;
    }
    let id = this.byKey.get(parsed.data.idempotencyKey);
    if (id === undefined) {
      id = `tc-out-${randomUUID()}`;
      this.byKey.set(parsed.data.idempotencyKey, id);
      this.deliveries.push({ id, request: parsed.data });
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
  }
}

export type Signing = 'signed' | 'unsigned' | 'forged' | 'wrong-secret' | 'stale' | 'altered-body';

/** Posts a webhook to the service's /channels/test as the provider does (or as an attacker would). */
export async function postTestWebhook(
  serviceUrl: string,
  secret: string,
  webhook: TestChannelWebhook | Record<string, unknown>,
  signing: Signing = 'signed',
): Promise<Response> {
  const body = JSON.stringify(webhook);
  const headers = ((): Record<string, string> => {
    switch (signing) {
      case 'signed':
      case 'altered-body':
        return signTestChannelRequest(secret, body, new Date());
      case 'unsigned':
        return {};
      case 'forged':
        return { ...signTestChannelRequest(secret, body, new Date()), 'x-test-channel-signature': `v1=${'0'.repeat(64)}` };
      case 'wrong-secret':
        return signTestChannelRequest(`${secret}-not-it`, body, new Date());
      case 'stale':
        return signTestChannelRequest(secret, body, new Date(Date.now() - 60 * 60 * 1000));
    }
  })();
  const sent = signing === 'altered-body' ? body.replace(/"text":"/, '"text":"and ') : body;
  return fetch(`${serviceUrl}/channels/test`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: sent });
}

/** A customer message as the provider posts it. */
export function messageWebhook(from: string, message: TestChannelMessage, id: string = `tc-in-${randomUUID()}`): TestChannelWebhook & { event: 'message' } {
  return { event: 'message', id, from: { id: from }, message };
}

/** What a test-channel suite needs of the running service. */
export interface TestChannelService {
  url: string;
  database: { db: Kysely<Database> };
}

/** Polls `read` until `done` holds; fails after `timeoutMs` with the last value seen. */
export async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = await read();
  while (!done(last)) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    last = await read();
  }
  return last;
}

/** One turn as the customer sees it on a text-only phone: the reply messages, each as its text. */
export interface TestChannelTurn {
  conversationId: string;
  userSeq: number;
  replies: string[];
  /** All replies as one string. */
  text: string;
}

/**
 * A customer on the test channel: posts each message signed, as the provider would, and waits
 * (bounded) until its turn ran and every reply reached the provider.
 */
export class TestChannelCustomer {
  constructor(
    private readonly service: TestChannelService,
    private readonly provider: TestChannelProvider,
    readonly id: string = `tc-user-${randomUUID()}`,
  ) {}

  async say(text: string): Promise<TestChannelTurn> {
    return this.send({ type: 'text', text });
  }

  async send(message: TestChannelMessage, id: string = `tc-in-${randomUUID()}`): Promise<TestChannelTurn> {
    const res = await postTestWebhook(this.service.url, this.provider.secret, messageWebhook(this.id, message, id));
    if (res.status !== 200) throw new Error(`webhook: ${res.status} ${await res.text()}`);
    return this.turnOf(id);
  }

  /** The turn of a message already posted: waits until it ran and its replies were delivered. */
  async turnOf(providerMessageId: string): Promise<TestChannelTurn> {
    const { db } = this.service.database;
    await eventually(
      () => db.selectFrom('inbound_messages').select('attempts').where('channel', '=', 'test').where('provider_message_id', '=', providerMessageId).execute(),
      (rows) => rows.length === 0,
    );
    const said = await db
      .selectFrom('conversation_events')
      .select(['conversation_id', 'seq'])
      .where('type', '=', 'user_said')
      .where('provider_message_id', '=', providerMessageId)
      .executeTakeFirstOrThrow();
    const replies = await db
      .selectFrom('conversation_events')
      .select(['seq', 'payload'])
      .where('conversation_id', '=', said.conversation_id)
      .where('type', '=', 'said')
      .where('seq', '>', said.seq)
      .orderBy('seq')
      .execute();
    const keys = replies.map((r) => `${said.conversation_id}:${r.seq}`);
    const delivered = await eventually(
      async () => keys.map((key) => this.provider.deliveries.find((d) => d.request.idempotencyKey === key)),
      (found) => found.every((d) => d !== undefined),
    );
    const texts = delivered.map((d) => d!.request.parts.join('\n'));
    return { conversationId: said.conversation_id, userSeq: said.seq, replies: texts, text: texts.join('\n') };
  }
}

/** The numbered options of the last list in a turn ("1. Solid red" → ["Solid red"]). */
export function numberedOptions(turn: TestChannelTurn): string[] {
  const last = turn.replies.findLast((r) => /^\s*1\. /m.test(r));
  if (last === undefined) return [];
  return [...last.matchAll(/^\s*(\d+)\. (.+)$/gm)].map((m) => m[2] as string);
}
