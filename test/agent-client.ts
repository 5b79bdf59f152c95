import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { AGENT_SESSION_COOKIE } from '../core/agent-api.js';
import { DemoAgentSchema, type DemoAgent } from '../server/agent/demo-agents.js';
import { ChatClient } from './chat-client.js';
import type { ApiContract } from './openapi-validate.js';

export interface AgentResponse {
  status: number;
  body: unknown;
  headers: Headers;
}

/**
 * Talks to `/api/agent` as the console does: a session cookie once signed in, and the service's
 * own Origin on every call (override it to test the CSRF check).
 */
export class AgentClient {
  cookie: string | null = null;
  /** Sent as X-Forwarded-For (a service with TRUST_PROXY=loopback takes it as the client's address). */
  forwardedFor: string | null = null;
  /** When set, every exchange is checked against the API document (test/openapi-validate.ts). */
  contract: ApiContract | null = null;

  /** `origin`: the Origin header sent (default the service's own; null sends none). */
  constructor(
    readonly baseUrl: string,
    private readonly origin?: string | null,
  ) {}

  /** The same session, talking to another instance (as a load balancer would send it). */
  on(baseUrl: string, origin?: string | null): AgentClient {
    const other = new AgentClient(baseUrl, origin);
    other.cookie = this.cookie;
    other.contract = this.contract;
    return other;
  }

  /** Signs in; throws unless the API accepted. */
  async login(email: string, password: string): Promise<this> {
    const res = await this.post('/login', { email, password });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    return this;
  }

  get(route: string): Promise<AgentResponse> {
    return this.call('GET', route);
  }

  post(route: string, body: unknown = {}): Promise<AgentResponse> {
    return this.call('POST', route, body);
  }

  patch(route: string, body: unknown = {}): Promise<AgentResponse> {
    return this.call('PATCH', route, body);
  }

  async call(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', route: string, body?: unknown): Promise<AgentResponse> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    const origin = this.origin === undefined ? this.baseUrl : this.origin;
    if (origin !== null) headers.origin = origin;
    if (this.forwardedFor !== null) headers['x-forwarded-for'] = this.forwardedFor;
    if (this.cookie !== null) headers.cookie = `${AGENT_SESSION_COOKIE}=${this.cookie}`;
    const res = await fetch(`${this.baseUrl}/api/agent${route}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const set = res.headers.getSetCookie().find((c) => c.startsWith(`${AGENT_SESSION_COOKIE}=`));
    if (set !== undefined) {
      const value = set.slice(AGENT_SESSION_COOKIE.length + 1).split(';')[0] ?? '';
      this.cookie = value === '' ? null : value;
    }
    const text = await res.text();
    const parsed = text === '' ? null : (JSON.parse(text) as unknown);
    this.contract?.checkExchange({ method, url: `/api/agent${route}`, requestBody: body, status: res.status, responseBody: parsed });
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

/** The demo accounts a service with SEED_DEMO generated into its DATA_DIR/secrets.json. */
export async function demoAgents(dataDir: string): Promise<{ supervisor: DemoAgent; returns: DemoAgent; technical: DemoAgent }> {
  const secrets = z.object({ demoAgents: z.array(DemoAgentSchema) }).parse(JSON.parse(await readFile(path.join(dataDir, 'secrets.json'), 'utf8')));
  const find = (team: string): DemoAgent => {
    const found = secrets.demoAgents.find((a) => a.team === team);
    if (found === undefined) throw new Error(`no demo agent in ${team}`);
    return found;
  };
  return { supervisor: find('support-leads'), returns: find('returns'), technical: find('technical') };
}

/** A web-chat customer who asked for a person: their conversation is queued (team not routed yet). */
export async function handedOffCustomer(baseUrl: string, text = 'talk to a person'): Promise<{ client: ChatClient; conversationId: string }> {
  const client = await new ChatClient(baseUrl).start();
  await client.say(text);
  const { conversationId } = await client.history();
  if (conversationId === null) throw new Error('no conversation');
  return { client, conversationId };
}

/** Opens the console's socket with a client's session cookie; resolves once the server says it is subscribed. */
export async function openAgentSocket(client: AgentClient): Promise<{ frames: Array<{ type: string; conversationId?: string; seq?: number; eventType?: string }>; close(): void }> {
  const { default: WebSocket } = await import('ws');
  const ws = new WebSocket(`${client.baseUrl.replace('http', 'ws')}/api/agent/socket`, {
    headers: { origin: client.baseUrl, ...(client.cookie !== null ? { cookie: `${AGENT_SESSION_COOKIE}=${client.cookie}` } : {}) },
  });
  const frames: Array<{ type: string; conversationId?: string; seq?: number; eventType?: string }> = [];
  await new Promise<void>((resolve, reject) => {
    ws.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString()) as { type: string };
      frames.push(frame);
      if (frame.type === 'ready') resolve();
    });
    ws.on('unexpected-response', (_req, res) => reject(new Error(`socket refused: ${res.statusCode}`)));
    ws.on('error', reject);
  });
  return { frames, close: () => ws.close() };
}
