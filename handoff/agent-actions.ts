import { z } from 'zod';
import type { DeliveryQueue } from '../core/channel.js';
import type { ConversationEvent, ConversationStatus } from '../core/conversation.js';
import type { ConversationState, ReplyIdentity } from '../core/conversation-state.js';
import type { ConversationChange, ConversationWrites } from '../core/conversation-writes.js';
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
  /** Agent replies go out as bot replies do: rows a delivery worker sends to the customer's channel. */
  delivery: DeliveryQueue;
  /**
   * Where replies go when the log never recorded it (conversations stored before it did): the
   * projection's reply identity.
   */
  storedReplyTo(conversationId: string): Promise<ReplyIdentity | null>;
  log: { error(obj: object, msg: string): void };
  now?: () => Date;
}

type Decision = { events: ConversationEvent[]; deliver?: { replyTo: ReplyIdentity; text: string } };

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
  async agentSay(conversationId: string, agentId: string, text: string): Promise<AgentActionResult> {
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
    });
  }

  /** Closes the conversation; the customer's next message opens a new one. */
  async resolve(conversationId: string, agentId: string): Promise<AgentActionResult> {
    parseAgent(agentId);
    return this.act(conversationId, async (state, at) => ({ events: statusChange(state.status, 'resolve', 'resolved_by_agent', at) }));
  }

  /** Lets the bot answer again. */
  async returnToBot(conversationId: string, agentId: string): Promise<AgentActionResult> {
    parseAgent(agentId);
    return this.act(conversationId, async (state, at) => ({
      events: [
        ...statusChange(state.status, 'return_to_bot', 'returned_to_bot', at),
        ...(state.assigneeId !== null ? [{ at, type: 'assignee_changed', agentId: null } as const] : []),
      ],
    }));
  }

  private act(conversationId: string, decide: (state: ConversationState, at: string) => Promise<Decision>): Promise<AgentActionResult> {
    return this.deps.writes.withConversation(conversationId, async ({ state }): Promise<ConversationChange<AgentActionResult>> => {
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
      return {
        events,
        effects: [],
        result,
        ...(deliver !== undefined ? { afterCommit: () => this.deliver(conversationId, saidSeq, deliver) } : {}),
      };
    });
  }

  private async deliver(conversationId: string, seq: number, { replyTo, text }: { replyTo: ReplyIdentity; text: string }): Promise<void> {
    try {
      await this.deps.delivery.enqueue([{ address: { conversationId, channel: replyTo.channel, senderId: replyTo.senderId }, seq, author: 'agent', message: { kind: 'text', text } }]);
    } catch (error) {
      this.deps.log.error({ conversationId, channel: replyTo.channel, err: error }, 'agent reply stored but not queued for delivery');
    }
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
