import { randomBytes } from 'node:crypto';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import WebSocket from 'ws';
import { z } from 'zod';
import { BACKEND_HEADER } from './scale-proxy.js';

const agent = new http.Agent({ keepAlive: true, maxSockets: 2048 });
/** A request the proxy or a server never answers (a half-dead connection) is given up and retried. */
const REQUEST_TIMEOUT_MS = 20_000;

const EntrySchema = z.object({ seq: z.number().int(), author: z.string(), message: z.looseObject({ kind: z.string() }) });
export type TranscriptEntry = z.infer<typeof EntrySchema>;
const AckSchema = z.object({ duplicate: z.boolean(), userSeq: z.number().int().optional(), messages: z.array(EntrySchema) });
const SessionSchema = z.object({ token: z.string() });
const HistorySchema = z.object({ messages: z.array(EntrySchema) });
const PushSchema = z.looseObject({ type: z.string(), seq: z.number().int().optional() });

/** What the server acknowledged for one customer message (a 2xx answer to its POST). */
export interface Ack {
  duplicate: boolean;
  userSeq: number | undefined;
  replySeqs: number[];
  /** Which instance answered, and when the successful attempt started and ended (ms, performance clock). */
  backend: string;
  attemptStartedAt: number;
  at: number;
}

export interface SentMessage {
  id: string;
  text: string;
  firstSentAt: number;
  attempts: number;
  ack: Ack | undefined;
}

/** One frame the widget socket pushed, and which connection (after reconnects) it came on. */
export interface Push {
  connection: number;
  seq: number;
}

interface Answer {
  status: number;
  backend: string;
  body: string;
}

function request(port: number, method: 'GET' | 'POST', path: string, body?: unknown, token?: string): Promise<Answer> {
  const data = body === undefined ? undefined : JSON.stringify(body);
  const headers: Record<string, string | number> = {};
  if (data !== undefined) Object.assign(headers, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(data) });
  if (token !== undefined) headers.authorization = `Bearer ${token}`;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path, method, agent, headers, timeout: REQUEST_TIMEOUT_MS }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, backend: String(res.headers[BACKEND_HEADER] ?? ''), body: text }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(data);
  });
}

/** Waits before the next attempt: short, jittered and growing to 1 s, as the widget does while offline. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.min(1000, 100 * 2 ** Math.min(attempt, 4));
  return sleep(ms / 2 + Math.random() * (ms / 2));
}

/**
 * A simulated web-chat customer, through the proxy the way the widget talks: a session, the
 * push socket (reconnected when it drops), and messages sent one at a time, each retried with
 * its own id until the server acknowledges it. Records everything the audit needs.
 */
export class SimulatedCustomer {
  readonly messages: SentMessage[] = [];
  readonly pushed: Push[] = [];
  /** Answers that were neither 2xx nor a retryable refusal (4xx other than 429, 5xx other than 502/503). */
  readonly unexpected: string[] = [];
  private token = '';
  private socket: WebSocket | undefined;
  private connections = 0;
  private closed = false;

  constructor(private readonly port: number) {}

  /** Opens the session (retried until a server mints one or `deadline` passes). */
  async start(deadline: number): Promise<boolean> {
    for (let attempt = 0; performance.now() < deadline; attempt++) {
      const answer = await request(this.port, 'POST', '/api/webchat/sessions', {}).catch(() => undefined);
      if (answer?.status === 201) {
        this.token = SessionSchema.parse(JSON.parse(answer.body)).token;
        return true;
      }
      await backoff(attempt);
    }
    return false;
  }

  /** Opens the push socket; resolves once the server says it is subscribed, or after 5 s. */
  openSocket(): Promise<void> {
    if (this.closed) return Promise.resolve();
    const connection = this.connections++;
    const ws = new WebSocket(`ws://127.0.0.1:${this.port}/api/webchat/socket?token=${encodeURIComponent(this.token)}`);
    this.socket = ws;
    let ready: () => void = () => undefined;
    const subscribed = new Promise<void>((resolve) => {
      ready = resolve;
      setTimeout(resolve, 5000).unref();
    });
    ws.on('message', (data: Buffer) => {
      const frame = PushSchema.safeParse(JSON.parse(data.toString()));
      if (!frame.success) return;
      if (frame.data.type === 'ready') ready();
      if (frame.data.type === 'message' && frame.data.seq !== undefined) this.pushed.push({ connection, seq: frame.data.seq });
    });
    ws.on('error', () => undefined);
    // A dropped socket (instance killed, Redis away) is opened again, as the widget does.
    ws.on('close', () => {
      ready();
      if (!this.closed) setTimeout(() => void this.openSocket(), 250).unref();
    });
    return subscribed;
  }

  /**
   * Sends one message and retries it (same id) on 429/502/503 or a lost connection until it is
   * acknowledged or `deadline` passes. Resolves with whether it was acknowledged.
   */
  async say(text: string, deadline: number): Promise<boolean> {
    const sent: SentMessage = { id: randomBytes(12).toString('base64url'), text, firstSentAt: performance.now(), attempts: 0, ack: undefined };
    this.messages.push(sent);
    while (performance.now() < deadline) {
      const attemptStartedAt = performance.now();
      sent.attempts += 1;
      const answer = await request(this.port, 'POST', '/api/webchat/messages', { id: sent.id, text }, this.token).catch(() => undefined);
      if (answer !== undefined && answer.status >= 200 && answer.status < 300) {
        const ack = AckSchema.parse(JSON.parse(answer.body));
        sent.ack = { duplicate: ack.duplicate, userSeq: ack.userSeq, replySeqs: ack.messages.map((m) => m.seq), backend: answer.backend, attemptStartedAt, at: performance.now() };
        return true;
      }
      if (answer !== undefined && ![429, 502, 503].includes(answer.status)) {
        this.unexpected.push(`${answer.status} ${answer.body.slice(0, 200)}`);
        if (answer.status < 500) return false;
      }
      await backoff(sent.attempts);
    }
    return false;
  }

  /** The whole transcript as the server stores it (retried until it answers or `deadline` passes). */
  async transcript(deadline: number): Promise<TranscriptEntry[] | undefined> {
    for (let attempt = 0; performance.now() < deadline; attempt++) {
      const answer = await request(this.port, 'GET', '/api/webchat/messages?after=-1', undefined, this.token).catch(() => undefined);
      if (answer?.status === 200) return HistorySchema.parse(JSON.parse(answer.body)).messages;
      await backoff(attempt);
    }
    return undefined;
  }

  close(): void {
    this.closed = true;
    this.socket?.close();
  }
}
