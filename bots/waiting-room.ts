import type { ConversationEvent, FollowUpKind } from '../core/conversation.js';
import type { ConversationState } from '../core/conversation-state.js';
import type { InboundMessage, OutboundMessage } from '../core/message.js';
import type { Entity } from '../core/nlu.js';
import type { TriagedEvent } from '../handoff/handoff-desk.js';
import { isOpen, addBusinessMinutes } from '../handoff/business-hours.js';
import type { HandoffPolicy } from '../handoff/policy.js';
import { statusChange } from '../handoff/transition.js';
import { WAITING_COPY_EN, type WaitingCopy } from './copy/waiting.js';
import { detectCommand } from './understanding/global-command.js';

/** Where a conversation stands in its queue (db/queue-position.ts). */
export type QueuePositionOf = (place: { conversationId: string; team: string | null; priority: number; since: string }) => Promise<number>;

/** What a message sent while waiting changes; null: it is only stored, for the agent to read. */
export interface WaitingAnswer {
  events: ConversationEvent[];
  replies: OutboundMessage[];
}

const FOLLOW_UP = 'follow-up:';
const TEXT_CHANNELS_WITH_A_NUMBER = new Set(['sms', 'whatsapp']);

/**
 * The customer's side of a handoff: right after it, where they are in the queue and the answer
 * target in the team's hours, or when the team is back and the choice of a callback or an
 * email; while they wait, "cancel" returns them to the bot, "human", "menu" and "go back" are
 * told where they stand and what they can type, and a follow-up is taken down. Everything else
 * they write is stored for the agent without a bot reply (the bot never speaks over a person).
 */
export class WaitingRoom {
  constructor(
    private readonly policy: HandoffPolicy,
    private readonly positionOf: QueuePositionOf,
    private readonly copy: WaitingCopy = WAITING_COPY_EN,
  ) {}

  /** Said right after the handoff the `triaged` event records. */
  async onHandoff(conversationId: string, triaged: TriagedEvent, since: string, now: Date): Promise<OutboundMessage[]> {
    const policyTeam = triaged.policyTeam ?? triaged.team ?? this.policy.file.defaults.team;
    const { targets, hours } = this.policy.serviceLevel(policyTeam);
    const team = this.copy.teamLabel(policyTeam);
    if (!isOpen(now, hours)) {
      return [{ kind: 'choice', text: this.copy.closed(team, this.opensAt(policyTeam, now)), options: this.copy.followUpOptions }];
    }
    const position = await this.positionOf({ conversationId, team: triaged.team, priority: triaged.priority, since });
    return [{ kind: 'text', text: this.copy.inQueue(position, team, targets.firstResponseMinutes) }];
  }

  /**
   * A message while the conversation is queued (nobody has picked it up). `entities` are read
   * only while a follow-up waits for its number or address.
   */
  async whileQueued(input: { conversationId: string; state: ConversationState; message: InboundMessage; entities: readonly Entity[]; now: Date }): Promise<WaitingAnswer | null> {
    const { state, message, now } = input;
    const at = now.toISOString();
    const command = message.payload === undefined ? detectCommand(message.text) : null;
    if (command === 'cancel' || command === 'start_over') {
      return { events: statusChange(state.status, 'return_to_bot', 'customer_left_queue', at), replies: [{ kind: 'choice', text: this.copy.leftQueue, options: this.copy.menu }] };
    }
    const team = this.policyTeamOf(state);
    const label = this.copy.teamLabel(team);
    // The other global commands get an answer too (never silence, never a second handoff): the
    // bot says where they stand and what they can type, and the message is still there for the agent.
    if (command === 'human') return { events: [], replies: [await this.stillInLine(input.conversationId, state, team, now)] };
    if (command === 'menu' || command === 'back') return { events: [], replies: [{ kind: 'text', text: this.copy.whileWaiting(label) }] };
    const chosen = message.payload?.startsWith(FOLLOW_UP) === true ? message.payload.slice(FOLLOW_UP.length) : null;
    if (chosen === 'wait') return { events: [], replies: [{ kind: 'text', text: this.copy.keepWaiting }] };
    if (chosen === 'callback' || chosen === 'email') {
      const known = chosen === 'callback' && TEXT_CHANNELS_WITH_A_NUMBER.has(message.channel) ? message.senderId.replace(/^whatsapp:/, '') : null;
      const event: ConversationEvent = { at, type: 'follow_up_requested', kind: chosen, to: known, team: state.team };
      const text = known !== null ? this.copy.followUpRecorded(chosen, known, label, this.opensAt(team, now)) : this.copy.askContact(chosen);
      return { events: [event], replies: [{ kind: 'text', text }] };
    }
    const pending = state.followUp;
    if (pending === null || pending.to !== null) return null;
    const to = contactIn(pending.kind, input.entities);
    if (to === null) return { events: [], replies: [{ kind: 'text', text: this.copy.contactNotRead(pending.kind) }] };
    return {
      events: [{ at, type: 'follow_up_requested', kind: pending.kind, to, team: state.team }],
      replies: [{ kind: 'text', text: this.copy.followUpRecorded(pending.kind, to, label, this.opensAt(team, now)) }],
    };
  }

  /** The options last offered, when they are the waiting room's (a typed "1" answers them); null otherwise. */
  ownOptions(state: ConversationState): ConversationState['offered'] {
    const offered = state.offered;
    return offered !== null && offered.length > 0 && offered.every((o) => o.value.startsWith(FOLLOW_UP)) ? offered : null;
  }

  /** The entity a queued message is read for: a follow-up waiting for its number or address; null: none. */
  expectedEntity(state: ConversationState): 'phone' | 'email' | null {
    if (state.followUp === null || state.followUp.to !== null) return null;
    return state.followUp.kind === 'callback' ? 'phone' : 'email';
  }

  /** "human" again: their place and the answer target, or outside the hours when the team is back and the choice of not waiting. */
  private async stillInLine(conversationId: string, state: ConversationState, team: string, now: Date): Promise<OutboundMessage> {
    const { targets, hours } = this.policy.serviceLevel(team);
    const label = this.copy.teamLabel(team);
    if (!isOpen(now, hours)) {
      const text = this.copy.alreadyQueuedClosed(label, this.opensAt(team, now));
      // A callback or email already asked for is not offered again.
      return state.followUp === null ? { kind: 'choice', text, options: this.copy.followUpOptions } : { kind: 'text', text };
    }
    const position = await this.positionOf({ conversationId, team: state.team, priority: state.priority, since: state.waitingSince ?? now.toISOString() });
    return { kind: 'text', text: this.copy.alreadyQueued(position, label, targets.firstResponseMinutes) };
  }

  /** The team whose hours apply: the queue's, else the shared default. */
  private policyTeamOf(state: ConversationState): string {
    return state.team ?? this.policy.file.defaults.team;
  }

  /** "Mon 08:00 (America/New_York)": the next opening, in the team's own zone. */
  private opensAt(team: string, now: Date): string {
    const { hours } = this.policy.serviceLevel(team);
    if (hours === 'always') return 'shortly';
    const opening = addBusinessMinutes(now, 0, hours);
    const when = new Intl.DateTimeFormat('en-US', { timeZone: hours.timeZone, weekday: 'long', hour: 'numeric', minute: '2-digit' }).format(opening);
    return `on ${when} (${hours.timeZone.replace(/_/g, ' ')} time)`;
  }
}

function contactIn(kind: FollowUpKind, entities: readonly Entity[]): string | null {
  const type = kind === 'callback' ? 'phone' : 'email';
  return entities.find((e) => e.type === type)?.value ?? null;
}
