import { z } from 'zod';
import type { ConversationEvent, ConversationStatus, EscalationLevel } from '../core/conversation.js';
import type { ChannelName, OutboundMessage, TemplateUse } from '../core/message.js';
import type { ConversationState, ReplyIdentity } from '../core/conversation-state.js';
import type { ConversationChange, ConversationEffect, ConversationWrites } from '../core/conversation-writes.js';
import { detailsFromZodIssues, SwitchboardError } from '../core/errors.js';
import { StorableTextSchema } from '../core/text.js';
import { episodeTimings } from './episode-timings.js';
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
  /** Asked once a person resolved the conversation; without it the conversation just closes. */
  afterResolve?: AfterResolve;
  /**
   * The channel's rule for a person's message at `at` (the 24-hour window of WhatsApp, Messenger
   * and Instagram: server/meta-channels.ts); throws SB_ERR_OUTSIDE_WINDOW to refuse, storing nothing.
   */
  replyPolicy?: (replyTo: ReplyIdentity, message: OutboundMessage, at: Date) => Promise<void>;
  /** The approved template of `use` for this conversation's channel, filled; throws when the channel has none. */
  templateMessage?: (conversationId: string, replyTo: ReplyIdentity, use: TemplateUse, agentId: string) => Promise<Extract<OutboundMessage, { kind: 'template' }>>;
  /**
   * The conversation's stored log, read under its lock: an episode that ends is timed from it
   * (`episode_timed`), and a reply on a chosen channel goes to the identity the customer wrote from there.
   */
  episodeLog?(conversationId: string): Promise<ReadonlyArray<{ seq: number; event: ConversationEvent }>>;
  /**
   * What the customer is told when `agentId` claims the conversation ("Sam from Voltline has
   * joined…"), on every channel but the web chat, whose widget shows its own status line; without
   * it nothing is said.
   */
  joinedText?(agentId: string): Promise<string>;
  now?: () => Date;
}

type Decision = {
  events: ConversationEvent[];
  deliver?: { replyTo: ReplyIdentity; text: string; message?: OutboundMessage };
  /** Messages the bot sends after the events (the satisfaction question once a person resolved it). */
  botSays?: { replyTo: ReplyIdentity; messages: OutboundMessage[] };
};

/** What follows a person's resolve on the customer's channel: the satisfaction survey (bots/satisfaction.ts). */
export type AfterResolve = (state: ConversationState, at: string) => { events: ConversationEvent[]; replies: OutboundMessage[] };

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

  /** The write path these actions use; routing's offer actions (routing-offers.ts) share it. */
  get writes(): ConversationWrites {
    return this.deps.writes;
  }

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
   * Writes to the customer on their channel: the one they last wrote on, or `channel` when the
   * agent chose one they wrote on in this conversation (422 otherwise). The agent must hold the
   * conversation; replying to a queued one takes it first, so the bot stays muted and other
   * agents see who answered.
   */
  async agentSay(conversationId: string, agentId: string, text: string, guard?: ActionGuard, channel?: ChannelName): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    const parsed = AgentTextSchema.safeParse(text);
    if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The message is invalid', detailsFromZodIssues(parsed.error.issues, 'text'));
    return this.act(conversationId, async (state, at) => {
      if (state.status === 'assigned' && state.assigneeId !== agent) {
        throw new SwitchboardError('SB_ERR_CONFLICT', 'Another agent holds this conversation');
      }
      const last = state.replyTo ?? (await this.deps.storedReplyTo(conversationId));
      const replyTo = channel === undefined || channel === last?.channel ? last : await this.chosenIdentity(conversationId, channel);
      if (replyTo === null) throw new SwitchboardError('SB_ERR_CONFLICT', 'The conversation has no channel identity to reply to');
      await this.deps.replyPolicy?.(replyTo, { kind: 'text', text: parsed.data }, new Date(at));
      const taking = state.status === 'assigned' ? [] : assignment(state, agent, at);
      const said: ConversationEvent = { at, type: 'said', author: 'agent', authorId: agent, message: { kind: 'text', text: parsed.data }, ...(replyTo.channel !== last?.channel ? { channel: replyTo.channel } : {}) };
      return { events: [...taking, said], deliver: { replyTo, text: parsed.data } };
    }, guard);
  }

  /**
   * Sends the channel's approved template of `use` (what WhatsApp allows outside the 24-hour
   * window), as `agentSay` sends text: the agent holds the conversation, or takes it.
   */
  async agentSendTemplate(conversationId: string, agentId: string, use: TemplateUse, guard?: ActionGuard): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    return this.act(conversationId, async (state, at) => {
      if (state.status === 'assigned' && state.assigneeId !== agent) throw new SwitchboardError('SB_ERR_CONFLICT', 'Another agent holds this conversation');
      const replyTo = state.replyTo ?? (await this.deps.storedReplyTo(conversationId));
      if (replyTo === null) throw new SwitchboardError('SB_ERR_CONFLICT', 'The conversation has no channel identity to reply to');
      if (this.deps.templateMessage === undefined) throw new SwitchboardError('SB_ERR_POLICY', 'No message templates are configured for this channel');
      const message = await this.deps.templateMessage(conversationId, replyTo, use, agent);
      await this.deps.replyPolicy?.(replyTo, message, new Date(at));
      const taking = state.status === 'assigned' ? [] : assignment(state, agent, at);
      const said: ConversationEvent = { at, type: 'said', author: 'agent', authorId: agent, message };
      return { events: [...taking, said], deliver: { replyTo, text: message.text, message } };
    }, guard);
  }

  /** Closes the conversation; the customer's next message opens a new one. */
  async resolve(conversationId: string, agentId: string): Promise<AgentActionResult> {
    parseAgent(agentId);
    return this.act(conversationId, async (state, at) => this.withSurvey(conversationId, state, at, statusChange(state.status, 'resolve', 'resolved_by_agent', at)));
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
        const events = assignment(state, agent, at);
        // Said once, by the claim that changed the holder: claiming again changes nothing and says nothing.
        const joined = events.length > 0 ? await this.joined(conversationId, state, agent) : null;
        return joined === null ? { events } : { events, botSays: joined };
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

  /**
   * Closes the conversation with the agent's outcome recorded beside the status change: the
   * disposition, and the steps taken and links when given (validated by the caller: ResolveBodySchema).
   */
  async resolveWithDisposition(
    conversationId: string,
    agentId: string,
    outcome: string | { disposition: string; steps?: string | undefined; links?: readonly string[] | undefined },
    guard?: ActionGuard,
  ): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    const { disposition, steps, links } = typeof outcome === 'string' ? { disposition: outcome, steps: undefined, links: undefined } : outcome;
    const recorded = {
      disposition,
      ...(steps !== undefined && steps !== '' ? { steps } : {}),
      ...(links !== undefined && links.length > 0 ? { links: [...links] } : {}),
    };
    return this.act(
      conversationId,
      async (state, at) => {
        const closing = statusChange(state.status, 'resolve', 'resolved_by_agent', at);
        return this.withSurvey(conversationId, state, at, [...closing, { at, type: 'disposition_recorded', agentId: agent, ...recorded }]);
      },
      guard,
    );
  }

  /**
   * Moves the conversation, with why: to `team`'s queue (an assigned one goes back to the
   * queue), or to the agent `toAgentId`, who then holds it (the caller checked they may see it).
   * `level` records an escalation step (frontline → senior → team lead → manager).
   */
  async transfer(
    conversationId: string,
    agentId: string,
    move: { team?: string | undefined; toAgentId?: string | undefined; reason: string; level?: EscalationLevel | undefined },
    guard?: ActionGuard,
  ): Promise<AgentActionResult> {
    const agent = parseAgent(agentId);
    const target = move.toAgentId === undefined ? null : parseAgent(move.toAgentId);
    if ((move.team === undefined) === (target === null)) throw new SwitchboardError('SB_ERR_VALIDATION', 'Name either a team or an agent to transfer to');
    return this.act(
      conversationId,
      async (state, at) => {
        if (state.status !== 'assigned' && state.status !== 'queued') throw new SwitchboardError('SB_ERR_CONFLICT', `A conversation that is ${state.status} cannot be transferred`);
        const level = move.level !== undefined ? { level: move.level } : {};
        if (target !== null) {
          if (state.assigneeId === target) throw new SwitchboardError('SB_ERR_CONFLICT', 'That agent already holds this conversation');
          const handOver = [...statusChange(state.status, 'assign', 'transferred', at), { at, type: 'assignee_changed', agentId: target } as const];
          return { events: [...handOver, { at, type: 'transferred', byAgentId: agent, team: state.team, toAgentId: target, reason: move.reason, ...level }] };
        }
        const requeue: ConversationEvent[] =
          state.status === 'assigned' ? [...statusChange(state.status, 'unassign', 'transferred', at), { at, type: 'assignee_changed', agentId: null }] : [];
        return { events: [...requeue, { at, type: 'transferred', byAgentId: agent, team: move.team ?? null, reason: move.reason, ...level }] };
      },
      guard,
    );
  }

  /**
   * The events and deliveries of "<first name> from <shop> has joined", stored from `nextSeq`, for
   * a holder change made elsewhere (a routing offer accepted); nothing on the web chat.
   */
  async announceJoined(conversationId: string, state: ConversationState, agentId: string, at: string, nextSeq: number): Promise<{ events: ConversationEvent[]; effects: ConversationEffect[] }> {
    const joined = await this.joined(conversationId, state, agentId);
    return joined === null ? { events: [], effects: [] } : botSaysChange(conversationId, joined, at, nextSeq);
  }

  /** "<first name> from <shop> has joined" for a channel without the widget's status line, or null. */
  private async joined(conversationId: string, state: ConversationState, agentId: string): Promise<NonNullable<Decision['botSays']> | null> {
    if (this.deps.joinedText === undefined) return null;
    const replyTo = state.replyTo ?? (await this.deps.storedReplyTo(conversationId));
    if (replyTo === null || replyTo.channel === 'webchat') return null;
    return { replyTo, messages: [{ kind: 'text', text: await this.deps.joinedText(agentId) }] };
  }

  /** The resolve's events, then the survey's question on the customer's channel (when there is one to ask and a channel to ask on). */
  private async withSurvey(conversationId: string, state: ConversationState, at: string, events: ConversationEvent[]): Promise<Decision> {
    const after = this.deps.afterResolve;
    if (after === undefined || !events.some((e) => e.type === 'status_changed' && e.to === 'resolved')) return { events };
    const replyTo = state.replyTo ?? (await this.deps.storedReplyTo(conversationId));
    if (replyTo === null) return { events };
    const survey = after(state, at);
    return { events: [...events, ...survey.events], botSays: { replyTo, messages: survey.replies } };
  }

  /** Where the customer last wrote from on `channel` in this conversation; refused when they never wrote there. */
  private async chosenIdentity(conversationId: string, channel: ChannelName): Promise<ReplyIdentity> {
    const log = (await this.deps.episodeLog?.(conversationId)) ?? [];
    for (const { event } of [...log].reverse()) {
      if (event.type === 'user_said' && event.channel === channel && event.senderId !== undefined) return { channel, senderId: event.senderId };
    }
    throw new SwitchboardError('SB_ERR_VALIDATION', `The customer has not written on ${channel} in this conversation: reply on a channel they used`, [{ path: 'channel', message: 'not a channel of this conversation' }], { status: 422 });
  }

  /** Appends `episode_timed` when `events` end a person's episode (resolved, or back to the bot). */
  private async timeEpisode(conversationId: string, events: ConversationEvent[], at: string): Promise<void> {
    const ending = events.find((e) => e.type === 'status_changed' && (e.from === 'queued' || e.from === 'assigned') && (e.to === 'resolved' || e.to === 'bot'));
    if (ending?.type !== 'status_changed' || this.deps.episodeLog === undefined) return;
    const timed = episodeTimings(await this.deps.episodeLog(conversationId), { at, outcome: ending.to === 'resolved' ? 'resolved' : 'returned_to_bot' });
    if (timed !== null) events.push(timed);
  }

  private act(conversationId: string, decide: (state: ConversationState, at: string) => Promise<Decision>, guard?: ActionGuard): Promise<AgentActionResult> {
    return this.deps.writes.withConversation(conversationId, async ({ state }): Promise<ConversationChange<AgentActionResult>> => {
      guard?.(state);
      const at = (this.deps.now?.() ?? new Date()).toISOString();
      const { events, deliver, botSays } = await decide(state, at);
      const firstSeq = state.version;
      const saidSeq = firstSeq + events.length - 1;
      await this.timeEpisode(conversationId, events, at);
      let { status, assigneeId } = state;
      for (const event of events) {
        if (event.type === 'status_changed') status = event.to;
        if (event.type === 'assignee_changed') assigneeId = event.agentId;
      }
      // The reply goes out as the bot's do: a row the delivery worker sends, committed with the event.
      const effects: ConversationEffect[] =
        deliver === undefined
          ? []
          : [
              {
                kind: 'deliver',
                delivery: { address: { conversationId, channel: deliver.replyTo.channel, senderId: deliver.replyTo.senderId }, seq: saidSeq, author: 'agent', message: deliver.message ?? { kind: 'text', text: deliver.text } },
              },
            ];
      if (botSays !== undefined) {
        const said = botSaysChange(conversationId, botSays, at, firstSeq + events.length);
        events.push(...said.events);
        effects.push(...said.effects);
      }
      const result: AgentActionResult = { conversationId, seqs: events.map((_, i) => firstSeq + i), status, assigneeId };
      return { events, effects, result };
    });
  }
}

/** The bot's messages of an agent action: `said` events from `nextSeq` and a delivery for each. */
function botSaysChange(conversationId: string, botSays: NonNullable<Decision['botSays']>, at: string, nextSeq: number): { events: ConversationEvent[]; effects: ConversationEffect[] } {
  const address = { conversationId, channel: botSays.replyTo.channel, senderId: botSays.replyTo.senderId };
  const events: ConversationEvent[] = [];
  const effects: ConversationEffect[] = [];
  for (const message of botSays.messages) {
    effects.push({ kind: 'deliver', delivery: { address, seq: nextSeq + events.length, author: 'bot', message } });
    events.push({ at, type: 'said', author: 'bot', message });
  }
  return { events, effects };
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
