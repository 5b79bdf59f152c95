import { randomUUID } from 'node:crypto';
import { textOf, type ChatEntry } from './chat-client.js';

/** One answer of POST /api/webchat/messages as the wire has it: status, Retry-After and body. */
export interface ProbeAnswer {
  status: number;
  retryAfter: string | null;
  /** What the bot said (empty for an error). */
  text: string;
  entries: ChatEntry[];
  error: { code: string; message: string } | null;
}

/**
 * A web-chat client that speaks from a chosen client address (X-Forwarded-For, with
 * TRUST_PROXY=loopback) and returns every answer, 4xx included, instead of throwing.
 */
export class ChatProbe {
  token = '';

  constructor(
    readonly baseUrl: string,
    readonly ip: string,
  ) {}

  private headers(): Record<string, string> {
    return { 'content-type': 'application/json', 'x-forwarded-for': this.ip, ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) };
  }

  async start(): Promise<this> {
    const res = await fetch(`${this.baseUrl}/api/webchat/sessions`, { method: 'POST', headers: this.headers(), body: '{}' });
    if (res.status !== 201) throw new Error(`session: ${res.status}`);
    this.token = ((await res.json()) as { token: string }).token;
    return this;
  }

  async say(text: string): Promise<ProbeAnswer> {
    const res = await fetch(`${this.baseUrl}/api/webchat/messages`, {
      method: 'POST',
      headers: this.headers(),
      body: JSON.stringify({ id: randomUUID().replaceAll('-', ''), text }),
    });
    const body = (await res.json()) as { messages?: ChatEntry[]; error?: { code: string; message: string } };
    const entries = body.messages ?? [];
    return { status: res.status, retryAfter: res.headers.get('retry-after'), text: textOf(entries), entries, error: body.error ?? null };
  }

  /** Everything in the transcript, customer and bot, as one string. */
  async transcript(): Promise<string> {
    const res = await fetch(`${this.baseUrl}/api/webchat/messages?after=-1`, { headers: this.headers() });
    if (!res.ok) throw new Error(`history: ${res.status}`);
    return textOf(((await res.json()) as { messages: ChatEntry[] }).messages);
  }
}

/** The verification codes the development outbox holds for `recipient`, newest first. */
export async function codesSentTo(baseUrl: string, recipient: string): Promise<string[]> {
  const res = await fetch(`${baseUrl}/dev/outbox.json`);
  const body = (await res.json()) as { messages: Array<{ recipient: string; body: string }> };
  return body.messages.filter((m) => m.recipient === recipient).flatMap((m) => /\b(\d{6})\b/.exec(m.body)?.[1] ?? []);
}

/** A six-digit code that is none of `codes` (a guess known to be wrong). */
export function wrongCode(codes: readonly string[]): string {
  for (let n = 0; ; n += 1) {
    const candidate = String(n).padStart(6, '0');
    if (!codes.includes(candidate)) return candidate;
  }
}
