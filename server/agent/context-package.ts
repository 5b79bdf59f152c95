import type { CodeSentSchema, ContextPackage, CustomerContext } from '../../core/agent-context.js';
import type { z } from 'zod';
import type { ConversationHeader } from '../../db/agent-queue.js';
import type { StoredEvent } from '../../db/conversations.js';
import type { CustomerContextReads } from '../../db/customer-context.js';
import { readConversationLog, type ConversationLog, type IssuedCode } from './context-log.js';
import type { ConversationSummarizer } from './conversation-summary.js';

export interface ContextPackageDeps {
  events(conversationId: string): Promise<StoredEvent[]>;
  customers: Pick<CustomerContextReads, 'profile' | 'orders' | 'devices' | 'cases' | 'earlierConversations'>;
  summarizer: ConversationSummarizer;
}

/** Earlier conversations whose messages join the transcript, and how many messages it keeps. */
const EARLIER_CONVERSATIONS = 10;
const EARLIER_TRANSCRIPTS = 5;
const TRANSCRIPT_LIMIT = 300;

type CodeSent = z.infer<typeof CodeSentSchema>;

/** `ada@example.com` → `a••@example.com`; `+15551234567` → `+•••••••4567`. */
export function maskDestination(transport: 'email' | 'sms', to: string): string {
  if (transport === 'sms') return `${to.startsWith('+') ? '+' : ''}${'•'.repeat(Math.max(0, to.replace(/^\+/, '').length - 4))}${to.slice(-4)}`;
  const at = to.lastIndexOf('@');
  return at <= 0 ? '•••' : `${to[0]}••@${to.slice(at + 1)}`;
}

/**
 * Where each code went, as the gate chose it (bots/verification.ts): only a code for the
 * customer this conversation verified names a (masked) destination; any other claim's code
 * says how it was asked for and no more, so nothing about that claim's profile shows.
 */
function codesSent(codes: readonly IssuedCode[], customer: CustomerContext | null): CodeSent[] {
  return codes.map((code) => {
    const mine = customer !== null && code.customerId === customer.profile.id;
    if (!mine) return { at: code.at, transport: code.via, destination: null };
    const phone = customer.profile.phone;
    const transport = code.via === 'sms' && phone !== null && phone !== '' ? 'sms' : 'email';
    return { at: code.at, transport, destination: maskDestination(transport, transport === 'sms' && phone !== null ? phone : customer.profile.email) };
  });
}

async function customerContext(header: ConversationHeader, customerId: string, deps: ContextPackageDeps): Promise<CustomerContext | null> {
  const [profile, orders, devices, cases, earlierConversations] = await Promise.all([
    deps.customers.profile(customerId),
    deps.customers.orders(customerId),
    deps.customers.devices(customerId),
    deps.customers.cases(customerId),
    deps.customers.earlierConversations(customerId, header.contactId, header.id, EARLIER_CONVERSATIONS),
  ]);
  return profile === null ? null : { profile, orders, devices, cases, earlierConversations };
}

/** This conversation's messages and the verified customer's earlier ones, oldest first, each tagged with its conversation and channel. */
async function crossChannelTranscript(header: ConversationHeader, log: ConversationLog, customer: CustomerContext | null, deps: ContextPackageDeps): Promise<ContextPackage['transcript']> {
  const own = log.messages.map((m) => ({ ...m, conversationId: header.id, channel: header.channel }));
  if (customer === null) return own;
  const earlier = await Promise.all(
    customer.earlierConversations.slice(0, EARLIER_TRANSCRIPTS).map(async (c) => readConversationLog(await deps.events(c.id)).messages.map((m) => ({ ...m, conversationId: c.id, channel: c.channel }))),
  );
  return [...earlier.flat(), ...own]
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at) || (a.conversationId === b.conversationId ? a.seq - b.seq : 0))
    .slice(-TRANSCRIPT_LIMIT);
}

/**
 * The context package of one conversation (docs/agents.md, "Context package"), from its log
 * (read by `readConversationLog`, up to `lastSeq`) and — only for `verifiedCustomerId`, the customer this conversation verified and whose
 * verification holds — that customer's records and earlier conversations.
 */
export async function contextPackage(header: ConversationHeader, log: ConversationLog, lastSeq: number, verifiedCustomerId: string | null, deps: ContextPackageDeps): Promise<ContextPackage> {
  const customer = verifiedCustomerId === null ? null : await customerContext(header, verifiedCustomerId, deps);
  const tried = { ...log.tried, codesSent: codesSent(log.codes, customer) };
  const summary = await deps.summarizer.summarize({
    conversationId: header.id,
    lastSeq,
    messages: log.messages,
    understanding: log.understanding,
    handoff: log.handoff,
    tried,
    customer: customer === null ? null : { name: customer.profile.name, orders: customer.orders.map((o) => ({ number: o.number, status: o.status })) },
  });
  return {
    summary,
    handoff: log.handoff,
    sentiment: log.sentiment,
    tried,
    customer,
    transcript: await crossChannelTranscript(header, log, customer, deps),
  };
}
