import type { ConversationDetail } from '../../core/agent-api.js';
import { degradeToText } from '../../core/message.js';
import type { StoredEvent } from '../../db/conversations.js';
import type { ConversationHeader } from '../../db/agent-queue.js';
import { foldEvents, withVerificationExpiry } from '../../bots/state.js';
import { pendingFollowUp } from '../../handoff/follow-ups.js';
import { contextPackage, type ContextPackageDeps } from './context-package.js';
import { maskCode, readConversationLog } from './context-log.js';

type Transcript = ConversationDetail['transcript'];
type Notes = ConversationDetail['notes'];
type Outcomes = ConversationDetail['outcomes'];
type Episodes = ConversationDetail['episodes'];
type Understanding = ConversationDetail['understanding'];

export interface ConversationViewDeps {
  events(conversationId: string): Promise<StoredEvent[]>;
  names(ids: readonly string[]): Promise<Map<string, string>>;
  customerSummary(customerId: string): Promise<ConversationDetail['verifiedCustomer']>;
  verificationTtlMs: number;
  /** The context package's reads and summarizer. */
  context: ContextPackageDeps;
  now?: () => Date;
}

/**
 * What an agent sees of one conversation: the transcript, internal notes, what the bot
 * understood of each message, the flows it tried, and — only while this conversation's
 * verification of the customer holds — that customer's profile and orders. A profile the
 * contact is merely linked to is never shown on its own: the log must say who was verified.
 * The context package (server/agent/context-package.ts) follows the same rule.
 */
export async function conversationDetail(header: ConversationHeader, deps: ConversationViewDeps): Promise<ConversationDetail> {
  const stored = await deps.events(header.id);
  // A code typed at the code prompt is masked, and its digits are no entity.
  const log = readConversationLog(stored);
  const { codeReplies } = log;
  let lastCustomerSeq = -1;
  // Replies go where the customer last wrote (one conversation may continue across channels).
  let replyChannel = header.channel;
  const transcript: Transcript = [];
  const notes: Notes = [];
  const outcomes: Outcomes = [];
  const episodes: Episodes = [];
  const understanding: Understanding = [];
  const agentIds = new Set<string>();
  for (const { seq, event } of stored) {
    switch (event.type) {
      case 'user_said': {
        lastCustomerSeq = seq;
        replyChannel = event.channel;
        const text = event.text || event.payload || '';
        transcript.push({ seq, at: event.at, author: 'customer', authorName: null, text: codeReplies.has(seq) ? maskCode(text) : text, channel: event.channel });
        break;
      }
      case 'said':
        if (event.authorId !== undefined) agentIds.add(event.authorId);
        transcript.push({ seq, at: event.at, author: event.author, authorName: event.authorId ?? null, text: degradeToText(event.message), channel: event.channel ?? replyChannel });
        break;
      case 'note_added':
        agentIds.add(event.authorId);
        notes.push({ seq, at: event.at, authorId: event.authorId, authorName: event.authorId, text: event.text });
        break;
      case 'disposition_recorded':
        agentIds.add(event.agentId);
        outcomes.push({ seq, at: event.at, agentId: event.agentId, agentName: null, disposition: event.disposition, steps: event.steps ?? null, links: event.links ?? [] });
        break;
      case 'episode_timed': {
        const { type: _type, ...timing } = event;
        episodes.push({ seq, ...timing });
        break;
      }
      case 'nlu':
        understanding.push({
          seq,
          intent: event.intent,
          confidence: event.confidence,
          outOfScope: event.outOfScope,
          entities: codeReplies.has(lastCustomerSeq) ? [] : event.entities.map((e) => ({ type: e.type, value: e.value })),
          sentiment: event.sentiment,
        });
        break;
      default:
        break;
    }
  }
  if (header.assigneeId !== null) agentIds.add(header.assigneeId);
  const names = await deps.names([...agentIds]);
  for (const entry of transcript) entry.authorName = entry.author === 'agent' && entry.authorName !== null ? (names.get(entry.authorName) ?? null) : null;
  for (const note of notes) note.authorName = names.get(note.authorId) ?? null;
  for (const outcome of outcomes) outcome.agentName = names.get(outcome.agentId) ?? null;

  const state = withVerificationExpiry(
    foldEvents(stored.map((s) => s.event)),
    deps.now?.() ?? new Date(),
    deps.verificationTtlMs,
  );
  const verifiedCustomer = state.verifiedCustomerId !== null ? await deps.customerSummary(state.verifiedCustomerId) : null;
  const { contactId: _contactId, customerId: _customerId, ...entry } = header;
  return {
    ...entry,
    customer: verifiedCustomer?.name ?? header.customer,
    assigneeName: header.assigneeId !== null ? (names.get(header.assigneeId) ?? null) : null,
    transcript,
    notes,
    outcomes,
    episodes,
    understanding,
    attempts: state.attempts.map((a) => ({ flow: a.flow, outcome: a.outcome })),
    verifiedCustomer,
    context: await contextPackage(header, log, stored.at(-1)?.seq ?? -1, verifiedCustomer === null ? null : state.verifiedCustomerId, deps.context),
    followUps: [pendingFollowUp(header.id, stored)].filter((f) => f !== null),
  };
}
