import type { ConversationEffect } from '../core/conversation-writes.js';
import type { CustomerClaims } from '../db/customer-claims.js';
import type { CustomerRow } from '../db/schema.js';
import { firstEntity, payloadValue, type FlowContext, type Reply } from './flow.js';
import { flowState, storedAsJsonText, Text } from './flow-state.js';
import type { IdentityClaim, VerificationSubject } from './verification-budget.js';
import { VERIFICATION_COPY_EN as COPY } from './copy/verification.js';
import { ChallengeSchema, type Challenge, type CustomerVerifier } from './verification.js';
import { VerifiedCustomer, type CustomerRecordSources } from './verified-customer.js';
import { GATE_STEPS } from './state.js';

/** The slot holding the pending challenge (a ChallengeSchema object); the agent's context package reads it for the codes sent. */
export const OTP_SLOT = '_otp';

/**
 * What the gate keeps in the frame of the flow it guards: the order the customer named and the
 * pending challenge. A flow that verifies through the gate spreads these fields into its own
 * state (`flowState({ ...GATE_FIELDS, … })`), so it reads the order the gate was given.
 */
export const GATE_FIELDS = { order_number: Text, [OTP_SLOT]: storedAsJsonText(ChallengeSchema) } as const;
const GateState = flowState(GATE_FIELDS);
const RESEND = /\b(resend|send (it )?again|new code|another code|didn'?t (get|receive))\b/i;
/** Digits people group a code by ("132 581", "132-581"); a longer run (a phone) is no code. */
const DIGIT_RUN = /\d+(?:[ -]\d+)*/g;
const CODE_LENGTH = 6;
/** Six digits said as an order number ("sorry, I meant 100234", "order #100235") are a correction, not a guess. */
const NOT_A_CODE = /\b(?:order|meant|sorry|actually|wrong|mistake|typo|instead)\b|#\s*\d/i;

/** The code in a message, however it was grouped, or null. */
export function typedCode(text: string): string | null {
  if (NOT_A_CODE.test(text)) return null;
  for (const match of text.matchAll(DIGIT_RUN)) {
    const digits = match[0].replace(/[ -]/g, '');
    if (digits.length === CODE_LENGTH) return digits;
  }
  return null;
}

export { GATE_STEPS } from './state.js';

export type GateResult =
  /** `customer` is the only way a flow reaches this customer's orders, returns, devices and cases. */
  /**
   * `claimedOrder`: the order number the customer proved themselves with in this turn (they
   * named it before the code), so the flow goes on with it instead of asking again; else null.
   */
  | { status: 'verified'; customer: VerifiedCustomer; justVerified: boolean; claimedOrder: string | null }
  /** The gate wrote its question or refusal into the reply; the flow waits for the next message. */
  | { status: 'pending' };

/** What a customer matched by phone number may do: read their orders and deliveries, nothing else. */
export type OrderReader = Pick<VerifiedCustomer, 'id' | 'order' | 'orders'>;

export type ReadGateResult =
  /** `level`: how the customer is known; `phone_matched` gives only an `OrderReader`. */
  | { status: 'verified'; customer: OrderReader; justVerified: boolean; claimedOrder: string | null; level: 'verified' | 'phone_matched' }
  | { status: 'pending' };

export interface IdentityGateDeps {
  claims: CustomerClaims;
  verifier: CustomerVerifier;
  /** Remembers which customer a channel contact proved to be. */
  linkContact(contactId: string, customerId: string): Promise<void>;
  /** The shop's order-number pattern (ORDER_NUMBER_PATTERN). */
  orderNumberPattern: string;
  /** What a verified customer's queries run on; nothing else is given these. */
  records: CustomerRecordSources;
}

/**
 * Proves who is asking before any flow shows personal data: the customer names an order,
 * email or phone; a one-time code goes to the address on file; the code proves possession.
 * The replies never reveal whether the claimed order or account exists. While verification is
 * paused a code typed at a pending challenge is not even compared, and the turn is marked
 * throttled (429 on HTTP channels); the chat says so honestly and offers a person.
 */
export class IdentityGate {
  private readonly wholeOrderNumber: RegExp;

  constructor(private readonly deps: IdentityGateDeps) {
    this.wholeOrderNumber = new RegExp(`^(?:${deps.orderNumberPattern})$`);
  }

  /**
   * The order a message names: a pressed `order:N` quick reply or an order number in the text —
   * except while a code is awaited, when six digits are the code.
   */
  requestedOrder(ctx: FlowContext): string | null {
    const picked = payloadValue(ctx, 'order');
    if (picked !== null && this.wholeOrderNumber.test(picked)) return picked;
    if (this.looksLikeCode(ctx)) return null;
    return firstEntity(ctx, 'order_number');
  }

  /** True when this message is the answer to the gate's own question (a code, "resend"). */
  isAwaitingCode(ctx: FlowContext): boolean {
    return ctx.state.step === GATE_STEPS.awaitingCode && ctx.state.slots[OTP_SLOT] !== undefined;
  }

  /** Six digits while a code is awaited are the code, not an order number. */
  looksLikeCode(ctx: FlowContext): boolean {
    return this.isAwaitingCode(ctx) && typedCode(ctx.message.text) !== null;
  }

  /**
   * `claim.orderNumber`: the order the customer is asking about, if any (a claim of identity too).
   * `purpose`: how the first question is phrased ("check your order", "start a return").
   */
  async check(ctx: FlowContext, reply: Reply, claim: { orderNumber: string | null; purpose: string }): Promise<GateResult> {
    const already = this.alreadyVerified(ctx);
    if (already !== null) return { status: 'verified', customer: already, justVerified: false, claimedOrder: null };
    const challenge = this.pendingChallenge(ctx);
    // "sorry, ada@example.com" while a code is awaited: the code went to the mistyped claim, so a new one goes to the corrected one.
    const newClaim = firstEntity(ctx, 'email') !== null || firstEntity(ctx, 'phone') !== null;
    if (challenge !== null && ctx.state.step === GATE_STEPS.awaitingCode && ((claim.orderNumber === null && !newClaim) || this.looksLikeCode(ctx))) {
      return this.checkCode(ctx, reply, challenge);
    }
    await this.startChallenge(ctx, reply, claim);
    return { status: 'pending' };
  }

  /**
   * For reading only (order status, delivery information): a customer the conversation matched
   * by their phone number passes without a code; anyone else goes through `check`. What passes
   * on a match is an `OrderReader`, so no change can be made through it.
   */
  async checkRead(ctx: FlowContext, reply: Reply, claim: { orderNumber: string | null; purpose: string }): Promise<ReadGateResult> {
    const already = this.alreadyVerified(ctx);
    if (already !== null) return { status: 'verified', customer: already, justVerified: false, claimedOrder: null, level: 'verified' };
    const identity = ctx.state.identity;
    // A code being typed answers its challenge first.
    if (identity.level === 'phone_matched' && !this.looksLikeCode(ctx)) {
      const customer = this.verifiedAs(ctx, identity.customerId);
      const reader: OrderReader = { id: customer.id, order: (n) => customer.order(n), orders: (limit) => customer.orders(limit) };
      return { status: 'verified', customer: reader, justVerified: false, claimedOrder: null, level: 'phone_matched' };
    }
    const checked = await this.check(ctx, reply, claim);
    return checked.status === 'pending' ? checked : { ...checked, level: 'verified' };
  }

  /**
   * The customer this conversation verified earlier (the server-side state, never a claim in the
   * message), or null: for flows that show more once verified but don't ask for it.
   */
  alreadyVerified(ctx: FlowContext): VerifiedCustomer | null {
    const id = ctx.state.verifiedCustomerId;
    return id === null ? null : this.verifiedAs(ctx, id);
  }

  /**
   * The customer a conversation's server-side state says is verified, for an agent acting for
   * them (handoff/agent-order-actions.ts): `customerId` is the state's `verifiedCustomerId`, read
   * under the conversation's lock after its expiry; writes become `effects` of that change.
   */
  verifiedForAgent(customerId: string, effects: ConversationEffect[]): VerifiedCustomer {
    return new VerifiedCustomer(this.deps.records, customerId, effects);
  }

  private verifiedAs(ctx: FlowContext, customerId: string): VerifiedCustomer {
    return new VerifiedCustomer(this.deps.records, customerId, ctx.effects);
  }

  private pendingChallenge(ctx: FlowContext): Challenge | null {
    return GateState.get(ctx.state, OTP_SLOT);
  }


  private async startChallenge(ctx: FlowContext, reply: Reply, claim: { orderNumber: string | null; purpose: string }): Promise<void> {
    const typed: IdentityClaim = { orderNumber: claim.orderNumber, email: firstEntity(ctx, 'email'), phone: firstEntity(ctx, 'phone') };
    const nothingTyped = typed.orderNumber === null && typed.email === null && typed.phone === null;
    // Matched by the number they write from: the code goes to that customer, by text, unasked.
    const matched = ctx.state.identity.level === 'phone_matched' && nothingTyped ? ctx.state.identity.customerId : null;
    if (matched !== null) {
      await this.challengeMatched(ctx, reply, matched);
      return;
    }
    // An email or phone given earlier in the conversation ("ada@example.com", then "where are my
    // orders") is the claim: the customer is never asked twice for what they already said.
    const claimed = nothingTyped ? rememberedClaim(ctx) : typed;
    const { orderNumber, email, phone } = claimed;
    if (orderNumber === null && email === null && phone === null) {
      const looksLikeAttempt = /\d{3,}/.test(ctx.message.text) && ctx.state.expecting === 'order_number';
      reply
        .say(looksLikeAttempt ? COPY.notAnOrderNumber : COPY.askForClaim(claim.purpose))
        .expect('order_number')
        .step(GATE_STEPS.awaitingClaim);
      return;
    }
    const customer = await this.claimedCustomer(claimed);
    const via = phone !== null && orderNumber === null && email === null ? 'sms' : 'email';
    const started = await this.deps.verifier.challenge(subjectOf(ctx), { customer, claimKeys: this.deps.verifier.claimKeys(claimed), via }, ctx.now);
    if (started.kind === 'paused') {
      this.paused(reply, started.retryAfterSeconds);
      return;
    }
    if (started.notification !== null) reply.notify(started.notification);
    reply
      .set('order_number', orderNumber)
      .set(OTP_SLOT, started.challenge)
      .expect(null)
      .step(GATE_STEPS.awaitingCode)
      .say(COPY.codeSent(orderNumber, started.challenge.via));
  }

  private async challengeMatched(ctx: FlowContext, reply: Reply, customerId: string): Promise<void> {
    const customer = await this.deps.claims.byId(customerId);
    const claimKeys = this.deps.verifier.claimKeys({ orderNumber: null, email: null, phone: customer?.phone ?? null });
    const started = await this.deps.verifier.challenge(subjectOf(ctx), { customer, claimKeys, via: 'sms' }, ctx.now);
    if (started.kind === 'paused') {
      this.paused(reply, started.retryAfterSeconds);
      return;
    }
    if (started.notification !== null) reply.notify(started.notification);
    reply.set(OTP_SLOT, started.challenge).expect(null).step(GATE_STEPS.awaitingCode).say(COPY.codeSentToMatched(started.challenge.via));
  }

  private async claimedCustomer(claim: IdentityClaim): Promise<CustomerRow | null> {
    const { claims } = this.deps;
    if (claim.orderNumber !== null) return claims.byOrder(claim.orderNumber);
    if (claim.email !== null) return claims.byEmail(claim.email);
    if (claim.phone !== null) return claims.byPhone(claim.phone);
    return null;
  }

  private async checkCode(ctx: FlowContext, reply: Reply, challenge: Challenge): Promise<GateResult> {
    const { verifier } = this.deps;
    const subject = subjectOf(ctx);
    if (RESEND.test(ctx.message.text)) {
      const customer = await this.deps.claims.byId(challenge.customerId);
      const fresh = await verifier.challenge(subject, { customer, claimKeys: challenge.claimKeys, via: challenge.via }, ctx.now);
      if (fresh.kind === 'paused') this.paused(reply, fresh.retryAfterSeconds);
      else {
        if (fresh.notification !== null) reply.notify(fresh.notification);
        reply.set(OTP_SLOT, fresh.challenge).say(COPY.newCodeSent);
      }
      return { status: 'pending' };
    }
    const code = typedCode(ctx.message.text);
    if (code === null) {
      const pause = await verifier.pause(subject, challenge, ctx.now);
      if (pause.paused) this.paused(reply, pause.retryAfterSeconds);
      else reply.say(COPY.typeTheCode);
      return { status: 'pending' };
    }
    const result = await verifier.check(subject, challenge, code, ctx.now);
    switch (result.kind) {
      case 'verified': {
        reply.set(OTP_SLOT, null).verified(result.customerId).say(COPY.verified);
        await this.deps.linkContact(ctx.contactId, result.customerId);
        return { status: 'verified', customer: this.verifiedAs(ctx, result.customerId), justVerified: true, claimedOrder: GateState.get(ctx.state, 'order_number') };
      }
      case 'wrong':
        reply.say(COPY.wrongCode);
        return { status: 'pending' };
      case 'expired':
        reply.say(COPY.expiredCode);
        return { status: 'pending' };
      case 'paused_now':
        this.paused(reply, result.retryAfterSeconds);
        return { status: 'pending' };
      case 'refused':
        // The challenge stays, so every further guess at it is refused (429) until the pause ends.
        this.sayPaused(reply, result.retryAfterSeconds).throttled(result.retryAfterSeconds, COPY.pausedNotice(result.retryAfterSeconds));
        return { status: 'pending' };
      default: {
        const unknown: never = result;
        throw new Error(`unexpected verification result ${JSON.stringify(unknown)}`);
      }
    }
  }

  /** Tells the customer verification is paused and ends the attempt (the handoff package shows it failed). */
  private paused(reply: Reply, retryAfterSeconds: number): void {
    this.sayPaused(reply.set(OTP_SLOT, null), retryAfterSeconds).end('failed');
  }

  private sayPaused(reply: Reply, retryAfterSeconds: number): Reply {
    return reply.expect(null).choose(COPY.paused(retryAfterSeconds), [{ label: COPY.talkToPerson, value: 'intent:human_agent' }]);
  }
}

/** The email (else phone) the customer named earlier in this conversation, as the claim; empty if neither. */
function rememberedClaim(ctx: FlowContext): IdentityClaim {
  const { email, phone } = ctx.state.mentioned;
  if (email !== undefined) return { orderNumber: null, email, phone: null };
  return { orderNumber: null, email: null, phone: phone ?? null };
}

function subjectOf(ctx: FlowContext): VerificationSubject {
  return { conversationId: ctx.conversationId, contactId: ctx.contactId, clientIp: ctx.message.clientIp ?? null };
}
