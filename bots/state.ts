import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationState } from '../core/conversation-state.js';
import { EntityTypeSchema } from '../core/nlu.js';

export type { ConversationState } from '../core/conversation-state.js';

export const INITIAL_STATE: ConversationState = {
  version: 0,
  status: 'bot',
  verifiedCustomerId: null,
  verifiedAt: null,
  activeFlow: null,
  step: null,
  slots: {},
  expecting: null,
  misunderstandings: 0,
  attempts: [],
  assigneeId: null,
  team: null,
  priority: 0,
  issueType: null,
  replyTo: null,
  waitingSince: null,
  offered: null,
};

/** Slot that stores what the bot expects next; kept as a slot so it survives restarts. */
export const EXPECTING_SLOT = '_expecting';

export function applyEvent(state: ConversationState, event: ConversationEvent): ConversationState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'user_said':
      return {
        ...next,
        offered: null,
        replyTo: event.senderId !== undefined ? { channel: event.channel, senderId: event.senderId } : state.replyTo,
        // A person holds it: the customer now waits for them, since the first unanswered message.
        waitingSince: state.status === 'queued' || state.status === 'assigned' ? (state.waitingSince ?? event.at) : state.waitingSince,
      };
    case 'said':
      if (event.author === 'agent') return { ...next, waitingSince: null, offered: null };
      // Only the newest question's options count; a plain follow-up ("Anything else?") keeps them.
      return event.message.kind === 'choice' ? { ...next, offered: event.message.options } : next;
    case 'nlu':
      return { ...next, misunderstandings: event.intent === null ? state.misunderstandings + 1 : 0 };
    case 'slot_set': {
      // Parsed, not cast: a state that holds what the schema refuses would fail every snapshot read.
      if (event.name === EXPECTING_SLOT) return { ...next, expecting: EntityTypeSchema.safeParse(event.value).data ?? null };
      const slots = { ...state.slots };
      if (event.value === null) delete slots[event.name];
      else slots[event.name] = event.value;
      return { ...next, slots };
    }
    case 'flow_started':
      return { ...next, activeFlow: event.flow, step: null };
    case 'flow_step':
      return { ...next, activeFlow: event.flow, step: event.step };
    case 'flow_ended':
      return {
        ...next,
        activeFlow: null,
        step: null,
        expecting: null,
        attempts: [...state.attempts, { flow: event.flow, outcome: event.outcome }],
      };
    case 'customer_verified':
      return { ...next, verifiedCustomerId: event.customerId, verifiedAt: event.at };
    case 'status_changed':
      return {
        ...next,
        status: event.to,
        waitingSince: event.to === 'queued' || event.to === 'assigned' ? (state.waitingSince ?? event.at) : null,
      };
    case 'assignee_changed':
      return { ...next, assigneeId: event.agentId };
    case 'triaged':
      return { ...next, issueType: event.issueType, team: event.team, priority: event.priority };
    case 'transferred':
      return { ...next, team: event.team };
    case 'note_added':
    case 'disposition_recorded':
      return next;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

export function foldEvents(events: Iterable<ConversationEvent>, from: ConversationState = INITIAL_STATE): ConversationState {
  let state = from;
  for (const event of events) state = applyEvent(state, event);
  return state;
}

/**
 * The state as a turn at `now` sees it: a verification older than `ttlMs` no longer counts, so
 * the customer proves who they are again (VERIFICATION_TTL_HOURS). A state cached before
 * `verifiedAt` existed has none and counts as expired.
 */
export function withVerificationExpiry(state: ConversationState, now: Date, ttlMs: number): ConversationState {
  if (state.verifiedCustomerId === null) return state;
  // NaN (no time) compares false: expired.
  if (now.getTime() - Date.parse(state.verifiedAt ?? '') < ttlMs) return state;
  return { ...state, verifiedCustomerId: null, verifiedAt: null };
}
