import type { VerificationCheck, VerificationCheckBody, VerificationStart, VerificationStartBody } from '../core/agent-api.js';
import type { AgentVerificationMethod, ConversationEvent } from '../core/conversation.js';
import type { ConversationState, ReplyIdentity } from '../core/conversation-state.js';
import type { ConversationEffect, ConversationWrites } from '../core/conversation-writes.js';
import { SwitchboardError } from '../core/errors.js';
import type { Challenge, CheckResult, CustomerVerifier } from '../bots/verification.js';
import type { VerificationBudget, VerificationSubject } from '../bots/verification-budget.js';
import type { CustomerClaims } from '../db/customer-claims.js';
import type { StoredEvent } from '../db/conversations.js';
import type { CustomerRow } from '../db/schema.js';
import type { SecurityQuestions } from '../db/security-questions.js';
import type { ActionGuard } from './agent-actions.js';
import { agentMessage, holdingFor } from './agent-holding.js';
import { AGENT_VERIFICATION_COPY as COPY, maskedAddress } from './agent-verification-copy.js';
import { answerMatches } from './security-answer.js';

/** The conversation an agent verifies in: its contact and the customer that contact is linked to. */
export interface VerificationTarget {
  conversationId: string;
  contactId: string;
  /** The customer the contact is linked to (verified before, or imported), if any. */
  linkedCustomerId: string | null;
}

export interface AgentVerificationDeps {
  writes: ConversationWrites;
  /** The bot's own code issuing and checking, with its attempt budgets. */
  verifier: Pick<CustomerVerifier, 'challenge' | 'check' | 'claimKeys'>;
  budget: Pick<VerificationBudget, 'standing' | 'spendWrongCode'>;
  claims: Pick<CustomerClaims, 'byOrder' | 'byEmail' | 'byId'>;
  questions: Pick<SecurityQuestions, 'of'>;
  /** The conversation's log, read under its lock: the pending challenge is its newest request. */
  events(conversationId: string): Promise<StoredEvent[]>;
  storedReplyTo(conversationId: string): Promise<ReplyIdentity | null>;
  /** Remembers which customer the contact proved to be, as the bot's gate does. */
  linkContact(contactId: string, customerId: string): Promise<void>;
  now?: () => Date;
}

type Requested = Extract<ConversationEvent, { type: 'verification_requested' }>;
type FailedOutcome = Extract<ConversationEvent, { type: 'verification_failed' }>['outcome'];

/**
 * Verifying the customer from the agent console. The customer is the one the conversation's
 * contact is linked to, or the owner of the order or email the customer gave; the code goes to
 * the address on file (or, for a contact linked to the customer, to this conversation's channel),
 * never to an address the agent types. Codes are the bot's (`CustomerVerifier`), and every wrong
 * code or answer is paid for from the same durable budgets as the bot's: the conversation, the
 * contact, the claimed order or email and the customer, so an agent relaying guesses gets no
 * more tries than the customer typing them. Each step is one `withConversation`, recorded with
 * the agent's id.
 */
export class AgentVerification {
  constructor(private readonly deps: AgentVerificationDeps) {}

  async start(target: VerificationTarget, agentId: string, body: VerificationStartBody, guard: ActionGuard): Promise<VerificationStart & { seqs: number[] }> {
    const { conversationId } = target;
    return this.deps.writes.withConversation(conversationId, async ({ state }) => {
      guard(state);
      const now = this.now();
      const at = now.toISOString();
      const events: ConversationEvent[] = holdingFor(state, agentId, at);
      const effects: ConversationEffect[] = [];
      const customer = await this.customerFor(target, body);
      const claimKeys = this.deps.verifier.claimKeys({ orderNumber: body.orderNumber ?? null, email: body.email ?? null, phone: null });
      const requested = (challenge: Requested['challenge']): Requested => ({ at, type: 'verification_requested', byAgentId: agentId, method: body.method, customerId: customer.id, claimKeys, challenge });
      let answer: VerificationStart;
      if (body.method === 'security_question') {
        const question = await this.deps.questions.of(customer.id);
        if (question === null) throw new SwitchboardError('SB_ERR_CONFLICT', 'This customer has no security question on their profile: send a code instead');
        events.push(requested(null));
        answer = { kind: 'question', method: 'security_question', question: question.question };
      } else {
        const replyTo = body.method === 'code_channel' ? await this.channelOf(state, target, customer) : null;
        if (body.method === 'code_sms' && !customer.phone) throw new SwitchboardError('SB_ERR_CONFLICT', 'There is no phone number on this customer\'s profile: send the code by email');
        const via = body.method === 'code_sms' ? 'sms' : 'email';
        const issued = await this.deps.verifier.challenge(subjectOf(target), { customer, claimKeys, via }, now);
        if (issued.kind === 'paused') {
          throw new SwitchboardError('SB_ERR_RATE_LIMITED', 'Verification of this customer is paused after too many attempts', [], { retryAfterSeconds: issued.retryAfterSeconds });
        }
        if (issued.notification === null) {
          // The customer's own send or attempt budget is spent: the bot would send nothing either.
          throw new SwitchboardError('SB_ERR_RATE_LIMITED', 'No code was sent: this customer was sent too many codes or entered too many wrong ones recently; try again later', [], { retryAfterSeconds: 15 * 60 });
        }
        const { codeHash, expiresAt } = issued.challenge;
        events.push(requested({ codeHash, expiresAt, via }));
        if (replyTo !== null) {
          const said = agentMessage(conversationId, replyTo, agentId, state.version + events.length, at, COPY.maskedCode(issued.notification.body), issued.notification.body);
          events.push(said.event);
          effects.push(said.effect);
        } else {
          effects.push({ kind: 'notify', notification: issued.notification });
          const toldReplyTo = state.replyTo ?? (await this.deps.storedReplyTo(conversationId));
          if (toldReplyTo !== null) {
            const said = agentMessage(conversationId, toldReplyTo, agentId, state.version + events.length, at, via === 'sms' ? COPY.codeSentBySms : COPY.codeSentByEmail);
            events.push(said.event);
            effects.push(said.effect);
          }
        }
        const sentTo = replyTo !== null ? maskedAddress('channel', '') : maskedAddress(issued.notification.transport, issued.notification.to);
        answer = { kind: 'code_sent', method: body.method, sentTo, expiresAt: new Date(expiresAt).toISOString() };
      }
      return { events, effects, result: { ...answer, seqs: events.map((_, i) => state.version + i) } };
    });
  }

  /** Checks the code or answer against the newest request; the outcome is stored either way. */
  async check(target: VerificationTarget, agentId: string, body: VerificationCheckBody, guard: ActionGuard): Promise<VerificationCheck & { retryAfterSeconds?: number }> {
    const { conversationId } = target;
    return this.deps.writes.withConversation(conversationId, async ({ state }) => {
      guard(state);
      const now = this.now();
      const at = now.toISOString();
      const holding = holdingFor(state, agentId, at);
      const request = pendingRequest(await this.deps.events(conversationId));
      if (request === null) throw new SwitchboardError('SB_ERR_CONFLICT', 'Nothing to check: send a code or ask the security question first');
      const isAnswer = 'answer' in body;
      if (isAnswer !== (request.method === 'security_question')) {
        throw new SwitchboardError(
          'SB_ERR_VALIDATION',
          isAnswer ? 'The customer was sent a code: enter the code they give' : 'The customer was asked the security question: enter their answer',
          [{ path: isAnswer ? 'body.answer' : 'body.code', message: isAnswer ? 'send `code` for a code challenge' : 'send `answer` for a security question' }],
        );
      }
      const subject = subjectOf(target);
      const result = 'answer' in body ? await this.checkAnswer(subject, request, body.answer, now) : await this.checkCode(subject, request, body.code, now);
      const events: ConversationEvent[] = [...holding];
      const effects: ConversationEffect[] = [];
      let retryAfterSeconds: number | undefined;
      let outcome: VerificationCheck['outcome'];
      switch (result.kind) {
        case 'verified': {
          outcome = 'verified';
          const method = request.method === 'security_question' ? 'security_question' : request.method === 'code_channel' ? 'channel' : 'otp';
          events.push({ at, type: 'customer_verified', customerId: result.customerId, method, byAgentId: agentId });
          const replyTo = state.replyTo ?? (await this.deps.storedReplyTo(conversationId));
          if (replyTo !== null) {
            const said = agentMessage(conversationId, replyTo, agentId, state.version + events.length, at, COPY.verified);
            events.push(said.event);
            effects.push(said.effect);
          }
          await this.deps.linkContact(target.contactId, result.customerId);
          break;
        }
        case 'wrong':
        case 'expired':
          outcome = result.kind;
          events.push(failed(at, agentId, request.method, result.kind));
          break;
        case 'paused_now':
        case 'refused':
          outcome = 'paused';
          retryAfterSeconds = result.retryAfterSeconds;
          events.push(failed(at, agentId, request.method, 'paused'));
          break;
        default: {
          const unknown: never = result;
          throw new Error(`unexpected verification result ${JSON.stringify(unknown)}`);
        }
      }
      const seqs = events.map((_, i) => state.version + i);
      return { events, effects, result: { outcome, seqs, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) } };
    });
  }

  private now(): Date {
    return this.deps.now?.() ?? new Date();
  }

  /** Whom the code or question is for: the customer the agent named by order or email, or the contact's linked one. */
  private async customerFor(target: VerificationTarget, body: VerificationStartBody): Promise<CustomerRow> {
    const { claims } = this.deps;
    if (body.orderNumber !== undefined || body.email !== undefined) {
      const found = body.orderNumber !== undefined ? await claims.byOrder(body.orderNumber) : await claims.byEmail(body.email ?? '');
      if (found === null) throw new SwitchboardError('SB_ERR_NOT_FOUND', `No customer on file has that ${body.orderNumber !== undefined ? 'order number' : 'email'}: check what the customer gave`);
      return found;
    }
    const linked = target.linkedCustomerId === null ? null : await claims.byId(target.linkedCustomerId);
    if (linked === null) {
      throw new SwitchboardError('SB_ERR_VALIDATION', 'This conversation is not linked to a customer yet: give the order number or email the customer named', [
        { path: 'body.orderNumber', message: 'the order number (or `email`) the customer gave in the conversation' },
      ]);
    }
    return linked;
  }

  /**
   * This conversation's channel, only when its contact is already linked to `customer`: a code
   * there proves the person writing controls the channel identity on the customer's profile.
   */
  private async channelOf(state: ConversationState, target: VerificationTarget, customer: CustomerRow): Promise<ReplyIdentity> {
    if (target.linkedCustomerId !== customer.id) {
      throw new SwitchboardError('SB_ERR_CONFLICT', "This chat is not known to belong to that customer: send the code to the email or phone on their profile instead");
    }
    const replyTo = state.replyTo ?? (await this.deps.storedReplyTo(target.conversationId));
    if (replyTo === null) throw new SwitchboardError('SB_ERR_CONFLICT', 'The conversation has no channel identity to send a code to');
    return replyTo;
  }

  private async checkCode(subject: VerificationSubject, request: Requested, code: string, now: Date): Promise<CheckResult> {
    if (request.challenge === null) return { kind: 'expired' };
    const challenge: Challenge = { customerId: request.customerId, ...request.challenge, claimKeys: request.claimKeys };
    return this.deps.verifier.check(subject, challenge, code, now);
  }

  /** The bot's budgets, for an answer instead of a code: a paused customer's answer is not even compared. */
  private async checkAnswer(subject: VerificationSubject, request: Requested, answer: string, now: Date): Promise<CheckResult> {
    const { budget } = this.deps;
    const { claimKeys } = request;
    const standing = await budget.standing(subject, claimKeys, request.customerId, now);
    if (standing.pause.paused) return { kind: 'refused', retryAfterSeconds: standing.pause.retryAfterSeconds };
    const question = await this.deps.questions.of(request.customerId);
    if (question !== null && !standing.customerLocked && (await answerMatches(question.answerHash, answer))) return { kind: 'verified', customerId: request.customerId };
    const pause = await budget.spendWrongCode(subject, claimKeys, request.customerId, now);
    return pause.paused ? { kind: 'paused_now', retryAfterSeconds: pause.retryAfterSeconds } : { kind: 'wrong' };
  }
}

function subjectOf(target: VerificationTarget): VerificationSubject {
  // The agent's address is not the customer's: no per-IP budget, the others all count.
  return { conversationId: target.conversationId, contactId: target.contactId, clientIp: null };
}

function failed(at: string, byAgentId: string, method: AgentVerificationMethod, outcome: FailedOutcome): ConversationEvent {
  return { at, type: 'verification_failed', byAgentId, method, outcome };
}

/** The newest request no verification has answered yet, or null. */
function pendingRequest(stored: readonly StoredEvent[]): Requested | null {
  for (let i = stored.length - 1; i >= 0; i--) {
    const { event } = stored[i]!;
    if (event.type === 'customer_verified') return null;
    if (event.type === 'verification_requested') return event;
  }
  return null;
}
