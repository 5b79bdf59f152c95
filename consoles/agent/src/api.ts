import type { z } from 'zod';
import type { ChannelName } from '../../../core/message.js';
import {
  ActionResultSchema,
  AgentsPresenceSchema,
  AGENT_API,
  ConversationDetailSchema,
  DraftSchema,
  FollowUpSchema,
  RenderedCannedResponsesSchema,
  SuggestionsSchema,
  LoginResultSchema,
  PresenceSchema,
  QueueSchema,
  SessionSchema,
  type AgentProfile,
  type ConversationDetail,
  type ListedConversation,
  type ResolveBody,
  type Draft,
  type RenderedCannedResponse,
  type Suggestions,
  type Presence,
  type PresenceStatus,
  type TransferBody,
} from '../../../core/agent-api.js';

/** One agent as the supervisor's view lists them (`GET /api/agent/agents`). */
export type ListedAgent = z.infer<typeof AgentsPresenceSchema>['agents'][number];

/** An error answer of the API, in the service's envelope `{ error: { code, message } }`. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** One call to `/api/agent`, its answer parsed with `schema` (null: no body expected). */
export async function call<T extends z.ZodType>(schema: T | null, method: 'GET' | 'POST', path: string, body?: unknown): Promise<z.infer<T> | null> {
  const response = await fetch(`${AGENT_API}${path}`, {
    method,
    credentials: 'same-origin',
    headers: body !== undefined ? { 'content-type': 'application/json' } : {},
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  if (!response.ok) {
    const envelope = (await response.json().catch(() => null)) as { error?: { code?: string; message?: string; details?: Array<{ path?: string; message?: string }> } } | null;
    // A refused body says which field and why (`body.links[0]: must be an http:// or https:// URL…`): shown with the message.
    const details = (envelope?.error?.details ?? []).map((d) => `${(d.path ?? '').replace(/^body\./, '')}: ${d.message ?? ''}`);
    const message = envelope?.error?.message ?? `HTTP ${response.status}`;
    throw new ApiError(response.status, envelope?.error?.code ?? 'SB_ERR_INTERNAL', details.length > 0 ? `${message}: ${details.join('; ')}` : message);
  }
  if (schema === null || response.status === 204) return null;
  return schema.parse(await response.json());
}

/** The console's calls, each answer checked against the API's schema (core/agent-api.ts). */
export const api = {
  async login(email: string, password: string): Promise<AgentProfile> {
    return (await call(LoginResultSchema, 'POST', '/login', { email, password }))!.agent;
  },
  async me(): Promise<AgentProfile | null> {
    return (await call(SessionSchema, 'GET', '/session'))!.agent;
  },
  async logout(): Promise<void> {
    await call(null, 'POST', '/logout');
  },
  async queue(): Promise<ListedConversation[]> {
    return (await call(QueueSchema, 'GET', '/queue'))!.conversations;
  },
  async conversation(id: string): Promise<ConversationDetail> {
    return (await call(ConversationDetailSchema, 'GET', `/conversations/${encodeURIComponent(id)}`))!;
  },
  claim: (id: string) => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/claim`, {}),
  /** `channel`: one the customer wrote on in this conversation; absent, the one they last wrote on. */
  reply: (id: string, text: string, channel?: ChannelName) => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/messages`, { text, ...(channel !== undefined ? { channel } : {}) }),
  /** An approved WhatsApp template: what may be sent once the customer's 24-hour window closed. */
  sendTemplate: (id: string, template: 'shipping_update' | 'follow_up' | 'csat') => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/templates`, { template }),
  note: (id: string, text: string) => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/notes`, { text }),
  resolve: (id: string, outcome: ResolveBody) => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/resolve`, outcome),
  release: (id: string) => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/release`, {}),
  accept: (id: string) => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/accept`, {}),
  decline: (id: string) => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/decline`, {}),
  async cannedResponses(id: string): Promise<RenderedCannedResponse[]> {
    return (await call(RenderedCannedResponsesSchema, 'GET', `/conversations/${encodeURIComponent(id)}/canned-responses`))!.responses;
  },
  async suggestions(id: string): Promise<Suggestions> {
    return (await call(SuggestionsSchema, 'GET', `/conversations/${encodeURIComponent(id)}/suggestions`))!;
  },
  async draft(id: string): Promise<Draft> {
    return (await call(DraftSchema, 'POST', `/conversations/${encodeURIComponent(id)}/draft`, {}))!;
  },
  transfer: (id: string, move: TransferBody) => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/transfer`, move),
  snooze: (id: string, until: string) => call(ActionResultSchema, 'POST', `/conversations/${encodeURIComponent(id)}/snooze`, { until }),
  followUp: (id: string, at: string, note: string) => call(FollowUpSchema, 'POST', `/conversations/${encodeURIComponent(id)}/follow-up`, { at, note }),
  /** Every agent's presence and load (supervisors and admins). */
  async agents(): Promise<ListedAgent[]> {
    return (await call(AgentsPresenceSchema, 'GET', '/agents'))!.agents;
  },
  async presence(): Promise<Presence> {
    return (await call(PresenceSchema, 'GET', '/presence'))!;
  },
  async setPresence(status: PresenceStatus): Promise<Presence> {
    return (await call(PresenceSchema, 'POST', '/presence', { status }))!;
  },
  async heartbeat(): Promise<Presence> {
    return (await call(PresenceSchema, 'POST', '/heartbeat', {}))!;
  },
};
