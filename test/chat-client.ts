import { randomUUID } from 'node:crypto';
import type { ApiContract } from './openapi-validate.js';

export interface ChatEntry {
  seq: number;
  author: string;
  message:
    | { kind: 'text'; text: string }
    | { kind: 'choice'; text: string; options: Array<{ label: string; value: string }> }
    | { kind: 'card'; title: string; text: string; link?: { title: string; url: string } }
    | { kind: 'media' | 'location' };
}

export interface SendResult {
  duplicate: boolean;
  userSeq?: number;
  messages: ChatEntry[];
}

/** Talks to the web-chat HTTP API the way the widget does. */
export class ChatClient {
  token = '';

  /** `contract`: when given, every exchange is checked against the API document (test/openapi-validate.ts). */
  constructor(
    readonly baseUrl: string,
    private readonly contract: ApiContract | null = null,
  ) {}

  async start(): Promise<this> {
    const body = await this.exchange('POST', '/api/webchat/sessions', {}, 201, 'session');
    this.token = (body as { token: string }).token;
    return this;
  }

  async say(text: string, options: { payload?: string; id?: string } = {}): Promise<SendResult> {
    const message = { id: options.id ?? randomUUID().replaceAll('-', ''), text, ...(options.payload ? { payload: options.payload } : {}) };
    return (await this.exchange('POST', '/api/webchat/messages', message, 200, 'send')) as SendResult;
  }

  async history(after = -1): Promise<{ conversationId: string | null; messages: ChatEntry[] }> {
    return (await this.exchange('GET', `/api/webchat/messages?after=${after}`, undefined, 200, 'history')) as { conversationId: string | null; messages: ChatEntry[] };
  }

  private async exchange(method: 'GET' | 'POST', url: string, body: unknown, expected: number, what: string): Promise<unknown> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (this.token !== '') headers.authorization = `Bearer ${this.token}`;
    const res = await fetch(`${this.baseUrl}${url}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const text = await res.text();
    if (res.status !== expected) throw new Error(`${what}: ${res.status} ${text}`);
    const parsed = JSON.parse(text) as unknown;
    this.contract?.checkExchange({ method, url, requestBody: body, status: res.status, responseBody: parsed });
    return parsed;
  }
}

/** Everything the bot said in a reply, as one string (cards and choices flattened). */
export function textOf(result: SendResult | ChatEntry[]): string {
  const entries = Array.isArray(result) ? result : result.messages;
  return entries
    .map((e) => {
      const m = e.message;
      if (m.kind === 'text') return m.text;
      if (m.kind === 'choice') return `${m.text} ${m.options.map((o) => o.label).join(' | ')}`;
      if (m.kind === 'card') return `${m.title} ${m.text} ${m.link ? m.link.url : ''}`;
      return '';
    })
    .join('\n');
}

/** Reads the newest verification code from the development outbox. */
export async function latestCode(baseUrl: string, recipient?: string): Promise<string | null> {
  const res = await fetch(`${baseUrl}/dev/outbox.json`);
  const body = (await res.json()) as { messages: Array<{ recipient: string; body: string }> };
  const message = body.messages.find((m) => recipient === undefined || m.recipient === recipient);
  return message ? (/\b(\d{6})\b/.exec(message.body)?.[1] ?? null) : null;
}

export async function outboxCount(baseUrl: string): Promise<number> {
  const res = await fetch(`${baseUrl}/dev/outbox.json`);
  return ((await res.json()) as { messages: unknown[] }).messages.length;
}

/** Opens the widget's push socket and resolves once the server says it is subscribed. */
export async function openWidgetSocket(
  baseUrl: string,
  token: string,
): Promise<{ pushed: Array<{ type: string; seq?: number }>; close(): void; onClose(listener: (code: number) => void): void }> {
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/api/webchat/socket?token=${encodeURIComponent(token)}`);
  const pushed: Array<{ type: string; seq?: number }> = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const parsed = JSON.parse(data.toString()) as { type: string; seq?: number };
      pushed.push(parsed);
      if (parsed.type === 'ready') resolve();
    });
    ws.on('error', reject);
  });
  return { pushed, close: () => ws.close(), onClose: (listener) => ws.on('close', (code: number) => listener(code)) };
}
