import { z } from 'zod';
import type { ShopQueries } from '../db/orders.js';
import type { CustomerRow } from '../db/schema.js';
import { firstEntity, payloadValue, type FlowContext, type Reply } from './flow.js';
import type { Challenge, CustomerVerifier } from './verification.js';

const ChallengeSchema = z.object({ customerId: z.string().nullable(), codeHash: z.string(), expiresAt: z.number() });
const OTP_SLOT = '_otp';
const RESEND = /\b(resend|send (it )?again|new code|another code|didn'?t (get|receive))\b/i;
const CODE = /\b(\d{6})\b/;

/** The step a flow is in while the gate waits for a claim or a code. */
export const GATE_STEPS = { awaitingClaim: 'verify:awaiting_claim', awaitingCode: 'verify:awaiting_code' } as const;

export type GateResult =
  | { status: 'verified'; customerId: string; justVerified: boolean }
  /** The gate wrote its question or refusal into the reply; the flow waits for the next message. */
  | { status: 'pending' };

export interface IdentityGateDeps {
  shop: ShopQueries;
  verifier: CustomerVerifier;
  /** Remembers which customer a channel contact proved to be. */
  linkContact(contactId: string, customerId: string): Promise<void>;
  /** The shop's order-number pattern (ORDER_NUMBER_PATTERN). */
  orderNumberPattern: string;
}

/**
 * Proves who is asking before any flow shows personal data: the customer names an order,
 * email or phone; a one-time code goes to the address on file; the code proves possession.
 * The replies never reveal whether the claimed order or account exists.
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
    return this.isAwaitingCode(ctx) && CODE.test(ctx.message.text);
  }

  /**
   * `claim.orderNumber`: the order the customer is asking about, if any (a claim of identity too).
   * `purpose`: how the first question is phrased ("check your order", "start a return").
   */
  async check(ctx: FlowContext, reply: Reply, claim: { orderNumber: string | null; purpose: string }): Promise<GateResult> {
    if (ctx.state.verifiedCustomerId !== null) return { status: 'verified', customerId: ctx.state.verifiedCustomerId, justVerified: false };
    const challenge = this.pendingChallenge(ctx);
    if (challenge !== null && ctx.state.step === GATE_STEPS.awaitingCode && (claim.orderNumber === null || this.looksLikeCode(ctx))) {
      return this.checkCode(ctx, reply, challenge);
    }
    await this.startChallenge(ctx, reply, claim);
    return { status: 'pending' };
  }

  private pendingChallenge(ctx: FlowContext): Challenge | null {
    const raw = ctx.state.slots[OTP_SLOT];
    if (raw === undefined) return null;
    const parsed = ChallengeSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  private async startChallenge(ctx: FlowContext, reply: Reply, claim: { orderNumber: string | null; purpose: string }): Promise<void> {
    const { orderNumber } = claim;
    const email = firstEntity(ctx, 'email');
    const phone = firstEntity(ctx, 'phone');
    if (orderNumber === null && email === null && phone === null) {
      const looksLikeAttempt = /\d{3,}/.test(ctx.message.text) && ctx.state.expecting === 'order_number';
      reply
        .say(
          looksLikeAttempt
            ? `That doesn't look like one of our order numbers. They look like this: 100234 (you'll find yours in the confirmation email). Could you check it?`
            : `I can ${claim.purpose} for you. What's the order number? It's in your confirmation email, e.g. 100234. If you don't have it, give me the email address or phone number on your account.`,
        )
        .expect('order_number')
        .step(GATE_STEPS.awaitingClaim);
      return;
    }
    if (await this.deps.verifier.isLocked(ctx.conversationId, ctx.contactId)) {
      this.locked(reply);
      return;
    }
    const customer = await this.claimedCustomer(orderNumber, email, phone);
    if (customer === null) await this.deps.verifier.recordFailure(ctx.conversationId, ctx.contactId);
    const via = phone !== null && orderNumber === null && email === null ? 'sms' : 'email';
    const challenge = await this.deps.verifier.challenge(ctx.conversationId, customer, via, ctx.now);
    reply
      .set('order_number', orderNumber)
      .set(OTP_SLOT, JSON.stringify(challenge))
      .expect(null)
      .step(GATE_STEPS.awaitingCode)
      .say(
        `To protect your privacy I need to confirm it's you. If ${orderNumber !== null ? `order ${orderNumber}` : 'that account'} is in our system, ` +
          `I've just sent a 6-digit code to the ${via === 'sms' ? 'phone number' : 'email address'} on file. Please type the code here.`,
      );
  }

  private async claimedCustomer(orderNumber: string | null, email: string | null, phone: string | null): Promise<CustomerRow | null> {
    const { shop } = this.deps;
    if (orderNumber !== null) {
      const order = await shop.findOrder(orderNumber);
      return order ? shop.getCustomer(order.customerId) : null;
    }
    if (email !== null) return shop.findCustomerByEmail(email);
    if (phone !== null) return shop.findCustomerByPhone(phone);
    return null;
  }

  private async checkCode(ctx: FlowContext, reply: Reply, challenge: Challenge): Promise<GateResult> {
    const { verifier } = this.deps;
    if (RESEND.test(ctx.message.text)) {
      if (await verifier.isLocked(ctx.conversationId, ctx.contactId)) {
        this.locked(reply);
        return { status: 'pending' };
      }
      const customer = challenge.customerId === null ? null : await this.deps.shop.getCustomer(challenge.customerId);
      const fresh = await verifier.challenge(ctx.conversationId, customer, 'email', ctx.now);
      // A resend spends an attempt too, so it can't be used to get around the throttle.
      await verifier.recordFailure(ctx.conversationId, ctx.contactId);
      reply.set(OTP_SLOT, JSON.stringify(fresh)).say(`I've sent a new code. Please type it here.`);
      return { status: 'pending' };
    }
    const code = CODE.exec(ctx.message.text)?.[1];
    if (code === undefined) {
      reply.say(`Please type the 6-digit code from the message we sent. If it didn't arrive, say "resend".`);
      return { status: 'pending' };
    }
    const result = await verifier.check(ctx.conversationId, ctx.contactId, challenge, code, ctx.now);
    switch (result) {
      case 'verified': {
        const customerId = challenge.customerId as string;
        reply.set(OTP_SLOT, null).verified(customerId).say('Thanks, you are verified.');
        await this.deps.linkContact(ctx.contactId, customerId);
        return { status: 'verified', customerId, justVerified: true };
      }
      case 'wrong':
        reply.say(`That code doesn't match. Please check it and try again, or say "resend" for a new one.`);
        return { status: 'pending' };
      case 'expired':
        reply.say(`That code has expired. Say "resend" and I'll send a new one.`);
        return { status: 'pending' };
      case 'locked':
        this.locked(reply);
        return { status: 'pending' };
      default: {
        const unknown: never = result;
        throw new Error(`unexpected verification result ${String(unknown)}`);
      }
    }
  }

  private locked(reply: Reply): void {
    reply
      .set(OTP_SLOT, null)
      .expect(null)
      .choose(
        `For your security, verification is paused for 15 minutes after too many attempts. A member of our team can help you in the meantime.`,
        [{ label: 'Talk to a person', value: 'intent:human_agent' }],
      )
      .end('failed');
  }
}
