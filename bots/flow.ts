import { isDeepStrictEqual } from 'node:util';
import type { ConversationEvent, SlotValue } from '../core/conversation.js';
import type { ConversationEffect } from '../core/conversation-writes.js';
import type { HandoffReason, HandoffRequest, IssueCategory } from '../core/handoff-triage.js';
import type { ChannelName, ChoiceOption, InboundMessage, OutboundMessage } from '../core/message.js';
import type { EntityType, NluResult } from '../core/nlu.js';
import type { Notification } from '../core/notifier.js';
import type { TurnThrottle } from '../core/turn-outcome.js';
import type { FlowState, StateShape } from './flow-state.js';
import { EXPECTING_SLOT, type ConversationState } from './state.js';

/** Everything a flow may look at for one turn. Flows get services through their own constructors. */
export interface FlowContext {
  conversationId: string;
  contactId: string;
  channel: ChannelName;
  state: ConversationState;
  nlu: NluResult;
  message: InboundMessage;
  now: Date;
  /**
   * The customer the conversation identified (verified, or matched by phone) is a VIP: set by
   * WhoIsWriting (bots/who-is-writing.ts), absent when nobody is identified or it was not asked.
   */
  vip?: boolean;
  /**
   * The turn's effects on the shop's records (a case opened through the VerifiedCustomer),
   * committed with its events: a flow asks for them, it never performs them.
   */
  effects: ConversationEffect[];
}

export type FlowOutcomeKind = 'resolved' | 'abandoned' | 'handed_off' | 'failed';

/** What a turn decided: the replies and the events that record why. */
export interface TurnDecision {
  replies: OutboundMessage[];
  events: ConversationEvent[];
  /** Set when the conversation must go to a person. */
  handoff: HandoffRequest | null;
  /**
   * Emails and SMS the turn decided to send (codes, confirmations). Recorded with the turn's
   * events and sent by a worker after the commit: never before, and never twice.
   */
  notifications: Notification[];
  /**
   * Set when the message was an attempt the bot refused to evaluate (a code while verification
   * is paused): the replies are still stored and sent, and HTTP channels answer 429.
   */
  throttled?: TurnThrottle;
}

export type { TurnThrottle };

/** A conversation flow: a small state machine whose state is its typed frame and its step. */
export interface Flow {
  readonly name: string;
  /**
   * The flow's own state, a zod shape over its frame (bots/flow-state.ts): the only values it
   * keeps between messages. Every turn is checked for values it did not declare (bots/declared-state.ts).
   */
  readonly state: FlowState<StateShape>;
  /** `starting` is true when this message started the flow (vs. continued it). */
  handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision>;
  /**
   * True when the message answers the question the flow is waiting on, so a confident new intent
   * must not interrupt it ("cancel" at "Confirm return?" is a no, not the order-cancel intent).
   */
  answers?(ctx: FlowContext): boolean;
  /**
   * The intent this flow's active frame in `state` was started for, when its first question
   * depends on it (cancelling vs re-addressing an order): "start over" starts that task again,
   * not the flow's default one. Absent or null: the flow restarts from its words alone.
   */
  restartIntent?(state: ConversationState): string | null;
}

/**
 * Builds a TurnDecision. Keeps flows readable: `reply.say(...).set('order', n).step('awaiting_code')`.
 * Every slot change is an event, so the state after a restart is the state before it.
 */
export class Reply {
  readonly replies: OutboundMessage[] = [];
  readonly events: ConversationEvent[] = [];
  private readonly notifications: Notification[] = [];
  private handoffRequest: TurnDecision['handoff'] = null;
  private throttle: TurnThrottle | null = null;

  constructor(
    private readonly ctx: Pick<FlowContext, 'state' | 'now'>,
    private readonly flow: string | null,
  ) {}

  private get at(): string {
    return this.ctx.now.toISOString();
  }

  say(text: string): this {
    this.replies.push({ kind: 'text', text });
    return this;
  }

  choose(text: string, options: ChoiceOption[]): this {
    this.replies.push(options.length > 0 ? { kind: 'choice', text, options: options.slice(0, 10) } : { kind: 'text', text });
    return this;
  }

  send(message: OutboundMessage): this {
    this.replies.push(message);
    return this;
  }

  /** Records a value of the active frame's state; flows call it through their FlowState (bots/flow-state.ts). */
  set(name: string, value: SlotValue | null): this {
    if (!isDeepStrictEqual(this.ctx.state.slots[name] ?? null, value)) this.events.push({ at: this.at, type: 'slot_set', name, value });
    return this;
  }

  /** Tells the NLU what the next message should contain (or nothing). */
  expect(type: EntityType | null): this {
    if (this.ctx.state.expecting !== type) this.events.push({ at: this.at, type: 'slot_set', name: EXPECTING_SLOT, value: type });
    return this;
  }

  start(): this {
    if (this.flow !== null) this.events.push({ at: this.at, type: 'flow_started', flow: this.flow });
    return this;
  }

  step(step: string): this {
    if (this.flow !== null) this.events.push({ at: this.at, type: 'flow_step', flow: this.flow, step });
    return this;
  }

  end(outcome: FlowOutcomeKind): this {
    if (this.flow !== null) this.events.push({ at: this.at, type: 'flow_ended', flow: this.flow, outcome });
    return this;
  }

  verified(customerId: string): this {
    this.events.push({ at: this.at, type: 'customer_verified', customerId, method: 'otp' });
    return this;
  }

  /** Sends an email or SMS once the turn has committed (see TurnDecision.notifications). */
  notify(notification: Notification): this {
    this.notifications.push(notification);
    return this;
  }

  /**
   * Hands the conversation to a person once the turn commits: why (a closed union), what
   * happened for the agent, and what it is about when the flow knows. The handoff policy
   * (handoff/policy.ts) decides its priority, team and SLA.
   */
  handoff(reason: HandoffReason, detail: string, category?: IssueCategory): this {
    this.handoffRequest = { reason, detail, ...(category !== undefined ? { category } : {}) };
    return this;
  }

  /** Marks the turn as refused for a while (see TurnDecision.throttled). */
  throttled(retryAfterSeconds: number, notice: string): this {
    this.throttle = { retryAfterSeconds, notice };
    return this;
  }

  decision(): TurnDecision {
    return {
      replies: this.replies,
      events: this.events,
      handoff: this.handoffRequest,
      notifications: this.notifications,
      ...(this.throttle !== null ? { throttled: this.throttle } : {}),
    };
  }
}

/** The value of a quick reply with this prefix, e.g. `order:100234` → `100234`. */
export function payloadValue(ctx: FlowContext, prefix: string): string | null {
  const payload = ctx.message.payload;
  return payload?.startsWith(`${prefix}:`) ? payload.slice(prefix.length + 1) : null;
}

export function firstEntity(ctx: FlowContext, type: EntityType): string | null {
  return ctx.nlu.entities.find((e) => e.type === type)?.value ?? null;
}
