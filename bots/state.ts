import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationState, Frame, StepMark } from '../core/conversation-state.js';
import { EntityTypeSchema } from '../core/nlu.js';
import { decodePolicyDecision, POLICY_DECISION_SLOT, type PolicyDecision } from '../core/policy-decision.js';

export type { ConversationState } from '../core/conversation-state.js';

export const INITIAL_STATE: ConversationState = {
  version: 0,
  status: 'bot',
  verifiedCustomerId: null,
  verifiedAt: null,
  identity: { level: 'anonymous' },
  activeFlow: null,
  step: null,
  slots: {},
  prompt: null,
  history: [],
  suspended: [],
  mentioned: {},
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
  followUp: null,
  csat: null,
  refusal: null,
};

/** Slot that stores what the bot expects next; kept as a slot so it survives restarts. */
export const EXPECTING_SLOT = '_expecting';

/** The step a flow is in while the identity gate waits for a claim or a code. */
export const GATE_STEPS = { awaitingClaim: 'verify:awaiting_claim', awaitingCode: 'verify:awaiting_code' } as const;

/** Earlier questions kept for "go back": enough for any flow's form, bounded so state stays small. */
const HISTORY_LIMIT = 8;
/** Set-aside flows kept; a customer who digresses further drops the oldest. */
const SUSPENDED_LIMIT = 3;
/** Entity types remembered across flows: what a customer names once is not asked again. */
const REMEMBERED = new Set(['order_number', 'email', 'phone', 'product', 'device']);
/** Answers to a yes/no question; with nothing asked they answer nothing. */
const YES_OR_NO = new Set<string | null>(['affirm', 'deny']);

/** No active flow: what a frame leaves behind when it ends or is set aside. */
const NO_FRAME = { activeFlow: null, step: null, slots: {}, expecting: null, prompt: null, history: [] } as const;

function activeFrame(state: ConversationState): Frame | null {
  if (state.activeFlow === null) return null;
  return { flow: state.activeFlow, step: state.step, slots: state.slots, expecting: state.expecting, prompt: state.prompt };
}

/** The mark for the question the customer is answering now, unless the last mark is already it. */
function marked(state: ConversationState): readonly StepMark[] {
  if (state.activeFlow === null || state.step === null || state.history.at(-1)?.step === state.step) return state.history;
  const mark: StepMark = { step: state.step, slots: state.slots, expecting: state.expecting, prompt: state.prompt };
  return [...state.history, mark].slice(-HISTORY_LIMIT);
}

function refusalOf(decision: PolicyDecision | null, flow: string | null): ConversationState['refusal'] {
  if (decision === null || decision.outcome !== 'refused') return null;
  return { policy: decision.policy, reason: decision.reason, subject: decision.subject, flow };
}

function withoutFrame(frames: readonly Frame[], flow: string): readonly Frame[] {
  const at = frames.map((f) => f.flow).lastIndexOf(flow);
  return at < 0 ? frames : [...frames.slice(0, at), ...frames.slice(at + 1)];
}

export function applyEvent(state: ConversationState, event: ConversationEvent): ConversationState {
  const next = { ...state, version: state.version + 1 };
  switch (event.type) {
    case 'user_said':
      return {
        ...next,
        offered: null,
        history: marked(state),
        replyTo: event.senderId !== undefined ? { channel: event.channel, senderId: event.senderId } : state.replyTo,
        // A person holds it: the customer now waits for them, since the first unanswered message.
        waitingSince: state.status === 'queued' || state.status === 'assigned' ? (state.waitingSince ?? event.at) : state.waitingSince,
      };
    case 'said':
      if (event.author === 'agent') return { ...next, waitingSince: null, offered: null };
      {
        // The active flow's newest message is its question, asked again on resume or "back".
        const prompt = state.activeFlow !== null ? event.message : state.prompt;
        // Only the newest question's options count; a plain follow-up ("Anything else?") keeps them.
        return event.message.kind === 'choice' ? { ...next, prompt, offered: event.message.options } : { ...next, prompt };
      }
    case 'nlu': {
      const mentioned = { ...state.mentioned };
      // A one-time code is six digits too: what is typed at the code prompt is not remembered as an order.
      if (state.step !== GATE_STEPS.awaitingCode) for (const entity of event.entities) if (REMEMBERED.has(entity.type)) mentioned[entity.type] = entity.value;
      // A bare yes or no right after a miss, with no task running, answers nothing the bot asked: the misses
      // are not forgotten, so "Sorry, I didn't get that" cannot repeat for ever (the handoff policy counts them).
      const answersNothing = state.misunderstandings > 0 && state.activeFlow === null && YES_OR_NO.has(event.intent);
      const misunderstandings = event.intent === null ? state.misunderstandings + 1 : answersNothing ? state.misunderstandings : 0;
      return { ...next, mentioned, misunderstandings };
    }
    case 'slot_set': {
      // Parsed, not cast: a state that holds what the schema refuses would fail every snapshot read.
      if (event.name === EXPECTING_SLOT) return { ...next, expecting: EntityTypeSchema.safeParse(event.value).data ?? null };
      const refusal = event.name === POLICY_DECISION_SLOT && event.value !== null ? refusalOf(decodePolicyDecision(event.value), state.activeFlow) : state.refusal;
      const slots = { ...state.slots };
      if (event.value === null) delete slots[event.name];
      else slots[event.name] = event.value;
      return { ...next, slots, refusal };
    }
    case 'flow_started':
      // A new frame: no slots of another flow leak into it. Another task puts the refusal behind
      // the customer; asking for a person (or retrying the refused task) keeps it.
      return { ...next, ...NO_FRAME, activeFlow: event.flow, refusal: state.refusal !== null && event.flow !== state.refusal.flow && event.flow !== 'handoff' ? null : state.refusal };
    case 'flow_step':
      return { ...next, activeFlow: event.flow, step: event.step };
    case 'flow_ended': {
      const attempts = [...state.attempts, { flow: event.flow, outcome: event.outcome }];
      // Ending a set-aside flow drops its frame; ending the active one leaves no frame active.
      if (state.activeFlow !== event.flow) return { ...next, attempts, suspended: withoutFrame(state.suspended, event.flow) };
      return { ...next, ...NO_FRAME, attempts };
    }
    case 'flow_suspended': {
      const frame = activeFrame(state);
      if (frame === null || frame.flow !== event.flow) return next;
      return { ...next, ...NO_FRAME, suspended: [...state.suspended, frame].slice(-SUSPENDED_LIMIT) };
    }
    case 'flow_resumed': {
      const frame = [...state.suspended].reverse().find((f) => f.flow === event.flow);
      if (frame === undefined) return next;
      return { ...next, ...NO_FRAME, ...frameFields(frame), suspended: withoutFrame(state.suspended, event.flow) };
    }
    case 'flow_back': {
      if (state.activeFlow !== event.flow) return next;
      // The last mark is the question being answered now; the one before it is where "back" goes.
      const marks = state.history.filter((m) => m.step !== state.step);
      const previous = marks.at(-1);
      if (previous === undefined) return next;
      return { ...next, step: previous.step, slots: previous.slots, expecting: previous.expecting, prompt: previous.prompt, history: marks.slice(0, -1) };
    }
    case 'customer_verified':
      return { ...next, verifiedCustomerId: event.customerId, verifiedAt: event.at, identity: { level: 'verified', customerId: event.customerId, at: event.at } };
    case 'customer_matched':
      // A code beats a matched number: a verified conversation stays verified.
      return state.identity.level === 'verified' ? next : { ...next, identity: { level: 'phone_matched', customerId: event.customerId, at: event.at } };
    case 'status_changed':
      return {
        ...next,
        status: event.to,
        waitingSince: event.to === 'queued' || event.to === 'assigned' ? (state.waitingSince ?? event.at) : null,
        // A follow-up belongs to one wait: a new handoff or the bot taking over starts without one.
        followUp: event.to === 'assigned' ? state.followUp : null,
      };
    case 'assignee_changed':
      return { ...next, assigneeId: event.agentId };
    case 'triaged':
      return { ...next, issueType: event.issueType, team: event.team, priority: event.priority };
    case 'transferred':
      return { ...next, team: event.team };
    case 'sla_breached':
      // The breach raised the priority (handoff SLA jobs).
      return { ...next, priority: event.priority };
    case 'csat_requested':
      return { ...next, csat: { askedAt: event.at, score: null, commented: false } };
    case 'csat_rated':
      return state.csat === null ? next : { ...next, csat: { ...state.csat, score: event.score } };
    case 'csat_commented':
      return state.csat === null ? next : { ...next, csat: { ...state.csat, commented: true } };
    case 'follow_up_requested':
      return { ...next, followUp: { kind: event.kind, to: event.to } };
    // An agent's verification attempts and actions are read from the log (handoff/agent-verification.ts).
    // Timings and follow-ups are read from the log too (handoff/episode-timings.ts, handoff/follow-ups.ts).
    case 'note_added':
    case 'disposition_recorded':
    case 'episode_timed':
    case 'follow_up_set':
    case 'follow_up_cancelled':
    case 'follow_up_due':
    case 'verification_requested':
    case 'verification_failed':
    case 'agent_action_taken':
    case 'snoozed':
    case 'offered':
    case 'offer_declined':
    case 'offer_expired':
    case 'profile_associated':
      // Offers are read from the log by routing (handoff/routing-offers.ts), an agent's profile
      // association by crm/profile-association.ts; the state keeps none.
      return next;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

function frameFields(frame: Frame): Pick<ConversationState, 'activeFlow' | 'step' | 'slots' | 'expecting' | 'prompt'> {
  return { activeFlow: frame.flow, step: frame.step, slots: frame.slots, expecting: frame.expecting, prompt: frame.prompt };
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
  const identity = state.identity.level !== 'anonymous' && !(now.getTime() - Date.parse(state.identity.at) < ttlMs) ? ({ level: 'anonymous' } as const) : state.identity;
  if (state.verifiedCustomerId === null) return identity === state.identity ? state : { ...state, identity };
  // NaN (no time) compares false: expired.
  if (now.getTime() - Date.parse(state.verifiedAt ?? '') < ttlMs) return identity === state.identity ? state : { ...state, identity };
  return { ...state, verifiedCustomerId: null, verifiedAt: null, identity: { level: 'anonymous' } };
}
