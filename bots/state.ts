import type { ConversationEvent, ConversationStatus } from '../core/conversation.js';
import type { EntityType } from '../core/nlu.js';

/** The state of a conversation as derived from its event log. */
export interface ConversationState {
  /** Number of events folded so far (the next event's seq). */
  version: number;
  status: ConversationStatus;
  verifiedCustomerId: string | null;
  /** When the customer proved who they are (ISO); see `withVerificationExpiry`. */
  verifiedAt: string | null;
  activeFlow: string | null;
  step: string | null;
  slots: Readonly<Record<string, string>>;
  /** What the bot asked for last, so the NLU can read "100234" as an order number. */
  expecting: EntityType | null;
  /** Consecutive messages the bot did not understand (drives the offer of a human). */
  misunderstandings: number;
  /** Flows tried in this conversation and how they ended: part of the handoff package. */
  attempts: ReadonlyArray<{ flow: string; outcome: string }>;
}

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
};

/** Slot that stores what the bot expects next; kept as a slot so it survives restarts. */
export const EXPECTING_SLOT = '_expecting';

export function applyEvent(state: ConversationState, event: ConversationEvent): ConversationState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'user_said':
    case 'said':
      return next;
    case 'nlu':
      return { ...next, misunderstandings: event.intent === null ? state.misunderstandings + 1 : 0 };
    case 'slot_set': {
      if (event.name === EXPECTING_SLOT) return { ...next, expecting: (event.value as EntityType | null) ?? null };
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
      return { ...next, status: event.to };
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
