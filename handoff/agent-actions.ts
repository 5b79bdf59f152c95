import { z } from 'zod';
import type { ConversationEvent, ConversationStatus } from '../core/conversation.js';
import type { ConversationState, ReplyIdentity } from '../core/conversation-state.js';
import type { ConversationChange, ConversationEffect, ConversationWrites } from '../core/conversation-writes.js';
import { detailsFromZodIssues, SwitchboardError } from '../core/errors.js';
import { StorableTextSchema } from '../core/text.js';
import { statusChange } from './transition.js';

const AgentIdSchema = z.string().min(1).max(200);
const AgentTextSchema = StorableTextSchema.trim().min(1).max(4000);

/** What an agent action left the conversation as. */
export interface AgentActionResult {
  conversationId: string;
  /** Seqs of the events the action stored, in order; empty when it changed nothing. */
  seqs: number[];
  status: ConversationStatus;
  assigneeId: string | null;
}

export interface AgentActionsDeps {
  writes: ConversationWrites;
  /**
   * Where replies go when the log never recorded it (conversations stored before it did): the
   * projection's reply identity.
   */
  storedReplyTo(conversationId: string): Promise<ReplyIdentity | null>;
  now?: () => Date;
}

type Decision = { events: ConversationEvent[]; deliver?: { replyTo: ReplyIdentity; text: string } };

/**
 * Checked under the conversation's lock on its current state, before anything is decided: the
 * console's authorisation (team, holder) cannot be raced by a transfer or a claim in between.
 * Throws to refuse; nothing is stored.
 */
export type ActionGuard = (state: ConversationState) => void;

/**
 * What agents do to a conversation: the internal API the agent console (a later issue) calls
 * once it has authorised the agent. Each action is one `withConversation`: serialised with the
 * customer's turns and every other writer, status changed only through the transition table,
 * its events committed with the projection and announced on the live feed. A refused action
 * throws SB_ERR_CONFLICT and stores nothing.
 */
export class AgentActions {
  constructor(private readonly deps: AgentActionsDeps) {}

  /** Takes a queued conversation, or hands an assigned one to `agentId`. */
  async assign(conversationId: string, agentId: string): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    return this.act(conversationId, async (state, at) => ({ events: assignment(state, agent, at) }));
  }

  /** Gives the conversation back to the queue. */
  async unassign(conversationId: string, agentId: string): Promise<AgentActionResult> {
    parseAgent(agentId);
    return this.act(conversationId, async (state, at) => ({
      events: [...statusChange(state.status, 'unassign', 'unassigned', at), { at, type: 'assignee_changed', agentId: null }],
    }));
  }

  /**
   * Writes to the customer on their channel. The agent must hold the conversation; replying to a
   * queued one takes it first, so the bot stays muted and other agents see who answered.
   */
  async agentSay(conversationId: string, agentId: string, text: string, guard?: ActionGuard): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    const parsed = AgentTextSchema.safeParse(text);
    if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The message is invalid', detailsFromZodIssues(parsed.error.issues, 'text'));
    return this.act(conversationId, async (state, at) => {
      if (state.status === 'assigned' && state.assigneeId !== agent) {
        throw new SwitchboardError('SB_ERR_CONFLICT', 'Another agent holds this conversation');
      }
      const replyTo = state.replyTo ?? (await this.deps.storedReplyTo(conversationId));
      if (replyTo === null) throw new SwitchboardError('SB_ERR_CONFLICT', 'The conversation has no channel identity to reply to');
      const taking = state.status === 'assigned' ? [] : assignment(state, agent, at);
      const said: ConversationEvent = { at, type: 'said', author: 'agent', authorId: agent, message: { kind: 'text', text: parsed.data } };
      return { events: [...taking, said], deliver: { replyTo, text: parsed.data } };
    }, guard);
  }

  /** Closes the conversation; the customer's next message opens a new one. */
  async resolve(conversationId: string, agentId: string): Promise<AgentActionResult> {
    parseAgent(agentId);
    return this.act(conversationId, async (state, at) => ({ events: statusChange(state.status, 'resolve', 'resolved_by_agent', at) }));
  }

  /** Lets the bot answer again. */
  async returnToBot(conversationId: string, agentId: string, guard?: ActionGuard): Promise<AgentActionResult> {
    parseAgent(agentId);
    return this.act(conversationId, async (state, at) => ({
      events: [
        ...statusChange(state.status, 'return_to_bot', 'returned_to_bot', at),
        ...(state.assigneeId !== null ? [{ at, type: 'assignee_changed', agentId: null } as const] : []),
      ],
    }), guard);
  }

  /**
   * Takes a queued conversation for `agentId`. Unlike `assign`, never takes it from another agent:
   * of two agents claiming at once (on any instances) exactly one gets it, the other SB_ERR_CONFLICT.
   * Claiming a conversation one already holds changes nothing.
   */
  async claim(conversationId: string, agentId: string, guard?: ActionGuard): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    return this.act(
      conversationId,
      async (state, at) => {
        if (state.status === 'assigned' && state.assigneeId !== agent) throw new SwitchboardError('SB_ERR_CONFLICT', 'Another agent holds this conversation');
        return { events: assignment(state, agent, at) };
      },
      guard,
    );
  }

  /** An internal note: stored in the log for agents, never delivered to the customer. */
  async addNote(conversationId: string, agentId: string, text: string, guard?: ActionGuard): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    const parsed = AgentTextSchema.safeParse(text);
    if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The note is invalid', detailsFromZodIssues(parsed.error.issues, 'text'));
    return this.act(conversationId, async (_state, at) => ({ events: [{ at, type: 'note_added', authorId: agent, text: parsed.data }] }), guard);
  }

  /** Closes the conversation with the agent's disposition recorded beside the status change. */
  async resolveWithDisposition(conversationId: string, agentId: string, disposition: string, guard?: ActionGuard): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    return this.act(
      conversationId,
      async (state, at) => {
        const closing = statusChange(state.status, 'resolve', 'resolved_by_agent', at);
        return { events: [...closing, { at, type: 'disposition_recorded', agentId: agent, disposition }] };
      },
      guard,
    );
  }

  /** Moves the conversation to `team`'s queue, with why; an assigned one goes back to the queue. */
  async transfer(conversationId: string, agentId: string, move: { team: string; reason: string }, guard?: ActionGuard): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    return this.act(
      conversationId,
      async (state, at) => {
        if (state.status !== 'assigned' && state.status !== 'queued') throw new SwitchboardError('SB_ERR_CONFLICT', `A conversation that is ${state.status} cannot be transferred`);
        const requeue: ConversationEvent[] =
          state.status === 'assigned' ? [...statusChange(state.status, 'unassign', 'transferred', at), { at, type: 'assignee_changed', agentId: null }] : [];
        return { events: [...requeue, { at, type: 'transferred', byAgentId: agent, team: move.team, reason: move.reason }] };
      },
      guard,
    );
  }

  private act(conversationId: string, decide: (state: ConversationState, at: string) => Promise<Decision>, guard?: ActionGuard): Promise<AgentActionResult> {
    return this.deps.writes.withConversation(conversationId, async ({ state }): Promise<ConversationChange<AgentActionResult>> => {
      guard?.(state);
      const at = (this.deps.now?.() ?? new Date()).toISOString();
      const { events, deliver } = await decide(state, at);
      const firstSeq = state.version;
      let { status, assigneeId } = state;
      for (const event of events) {
        if (event.type === 'status_changed') status = event.to;
        if (event.type === 'assignee_changed') assigneeId = event.agentId;
      }
      const result: AgentActionResult = { conversationId, seqs: events.map((_, i) => firstSeq + i), status, assigneeId };
      const saidSeq = firstSeq + events.length - 1;
      // The reply goes out as the bot's do: a row the delivery worker sends, committed with the event.
      const effects: ConversationEffect[] =
        deliver === undefined
          ? []
          : [
              {
                kind: 'deliver',
                delivery: { address: { conversationId, channel: deliver.replyTo.channel, senderId: deliver.replyTo.senderId }, seq: saidSeq, author: 'agent', message: { kind: 'text', text: deliver.text } },
              },
            ];
      return { events, effects, result };
    });
  }
}

function parseAgent(agentId: string): string {
  const parsed = AgentIdSchema.safeParse(agentId);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The agent id is invalid', detailsFromZodIssues(parsed.error.issues, 'agentId'));
  return parsed.data;
}

/** queued → assigned to `agent`, or an assigned conversation handed to `agent` (the table allows both). */
function assignment(state: ConversationState, agent: string, at: string): ConversationEvent[] {
  const status = statusChange(state.status, 'assign', 'assigned', at);
  return state.assigneeId === agent && status.length === 0 ? [] : [...status, { at, type: 'assignee_changed', agentId: agent }];
}
