import { z } from 'zod';
import type { ShopQueries } from '../../db/orders.js';
import { firstEntity, payloadValue, Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import type { Challenge, CustomerVerifier } from '../verification.js';
import { describeOrder, formatDay, STATUS_LABEL } from './order-format.js';

const ChallengeSchema = z.object({ customerId: z.string().nullable(), codeHash: z.string(), expiresAt: z.number() });
const OTP_SLOT = '_otp';
const RESEND = /\b(resend|send (it )?again|new code|another code|didn'?t (get|receive))\b/i;
const CODE = /\b(\d{6})\b/;

export interface OrderStatusDeps {
  shop: ShopQueries;
  verifier: CustomerVerifier;
  /** Whole-word order-number pattern (ORDER_NUMBER_PATTERN). */
  orderNumberPattern: string;
  /** Remembers which customer a channel contact proved to be. */
  linkContact(contactId: string, customerId: string): Promise<void>;
}

/**
 * "Where is my order?": finds the order, proves who is asking with a one-time code to the
 * address on file, then answers. Nothing about an order is said before verification, and the
 * reply to an unknown order is the same as to someone else's.
 */
export class OrderStatusFlow implements Flow {
  readonly name = 'order_status';
  private readonly wholeOrderNumber: RegExp;

  constructor(private readonly deps: OrderStatusDeps) {
    this.wholeOrderNumber = new RegExp(`^(?:${deps.orderNumberPattern})$`);
  }

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) reply.start();
    const requested = this.requestedOrder(ctx);
    if (ctx.state.verifiedCustomerId !== null) {
      await this.answerVerified(ctx, reply, ctx.state.verifiedCustomerId, requested ?? (starting ? null : (ctx.state.slots.order_number ?? null)));
      return reply.decision();
    }
    const pending = this.pendingChallenge(ctx);
    if (pending !== null && ctx.state.step === 'awaiting_code' && requested === null) {
      await this.checkCode(ctx, reply, pending);
      return reply.decision();
    }
    await this.startVerification(ctx, reply, requested);
    return reply.decision();
  }

  private requestedOrder(ctx: FlowContext): string | null {
    const picked = payloadValue(ctx, 'order');
    if (picked !== null && this.wholeOrderNumber.test(picked)) return picked;
    // While a code is awaited, six digits are the code, not an order number.
    if (ctx.state.step === 'awaiting_code' && CODE.test(ctx.message.text)) return null;
    return firstEntity(ctx, 'order_number');
  }

  private pendingChallenge(ctx: FlowContext): Challenge | null {
    const raw = ctx.state.slots[OTP_SLOT];
    if (raw === undefined) return null;
    const parsed = ChallengeSchema.safeParse(JSON.parse(raw));
    return parsed.success ? parsed.data : null;
  }

  private async startVerification(ctx: FlowContext, reply: Reply, orderNumber: string | null): Promise<void> {
    const email = firstEntity(ctx, 'email');
    const phone = firstEntity(ctx, 'phone');
    if (orderNumber === null && email === null && phone === null) {
      const looksLikeAttempt = /\d{3,}/.test(ctx.message.text) && ctx.state.expecting === 'order_number';
      reply
        .say(
          looksLikeAttempt
            ? `That doesn't look like one of our order numbers. They look like this: 100234 (you'll find yours in the confirmation email). Could you check it?`
            : `I can check that for you. What's the order number? It's in your confirmation email, e.g. 100234. If you don't have it, give me the email address or phone number on your account.`,
        )
        .expect('order_number')
        .step('awaiting_order');
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
      .step('awaiting_code')
      .say(
        `To protect your privacy I need to confirm it's you. If ${orderNumber !== null ? `order ${orderNumber}` : 'that account'} is in our system, ` +
          `I've just sent a 6-digit code to the ${via === 'sms' ? 'phone number' : 'email address'} on file. Please type the code here.`,
      );
  }

  private async claimedCustomer(orderNumber: string | null, email: string | null, phone: string | null) {
    const { shop } = this.deps;
    if (orderNumber !== null) {
      const order = await shop.findOrder(orderNumber);
      return order ? shop.getCustomer(order.customerId) : null;
    }
    if (email !== null) return shop.findCustomerByEmail(email);
    if (phone !== null) return shop.findCustomerByPhone(phone);
    return null;
  }

  private async checkCode(ctx: FlowContext, reply: Reply, challenge: Challenge): Promise<void> {
    if (RESEND.test(ctx.message.text)) {
      const orderNumber = ctx.state.slots.order_number ?? null;
      if (await this.deps.verifier.isLocked(ctx.conversationId, ctx.contactId)) return this.locked(reply);
      const customer = challenge.customerId === null ? null : await this.deps.shop.getCustomer(challenge.customerId);
      const fresh = await this.deps.verifier.challenge(ctx.conversationId, customer, 'email', ctx.now);
      // A resend spends an attempt too, so it cannot be used to get around the throttle.
      await this.deps.verifier.recordFailure(ctx.conversationId, ctx.contactId);
      reply.set(OTP_SLOT, JSON.stringify(fresh)).say(`I've sent a new code${orderNumber ? ` for order ${orderNumber}` : ''}. Please type it here.`);
      return;
    }
    const code = CODE.exec(ctx.message.text)?.[1];
    if (code === undefined) {
      reply.say(`Please type the 6-digit code from the message we sent. If it didn't arrive, say "resend".`);
      return;
    }
    const result = await this.deps.verifier.check(ctx.conversationId, ctx.contactId, challenge, code, ctx.now);
    switch (result) {
      case 'verified': {
        const customerId = challenge.customerId as string;
        reply.set(OTP_SLOT, null).verified(customerId).say('Thanks, you are verified.');
        await this.deps.linkContact(ctx.contactId, customerId);
        await this.answerVerified(ctx, reply, customerId, ctx.state.slots.order_number ?? null);
        return;
      }
      case 'wrong':
        reply.say(`That code doesn't match. Please check it and try again, or say "resend" for a new one.`);
        return;
      case 'expired':
        reply.say(`That code has expired. Say "resend" and I'll send a new one.`);
        return;
      case 'locked':
        this.locked(reply);
        return;
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

  private async answerVerified(ctx: FlowContext, reply: Reply, customerId: string, orderNumber: string | null): Promise<void> {
    const { shop } = this.deps;
    if (orderNumber !== null) {
      const order = await shop.findOrder(orderNumber);
      if (order !== null && order.customerId === customerId) {
        reply
          .set('order_number', order.number)
          .send(describeOrder(order))
          .choose('Anything else I can help with?', [
            { label: 'Another order', value: 'intent:order_status' },
            { label: "That's all, thanks", value: 'intent:thanks' },
          ])
          .expect(null)
          .end('resolved');
        return;
      }
      reply.say(`I couldn't find order ${orderNumber} on your account.`);
    }
    const recent = await shop.recentOrders(customerId);
    if (recent.length === 0) {
      reply.say(`I don't see any orders on your account yet.`).expect(null).end('resolved');
      return;
    }
    if (recent.length === 1 && orderNumber === null) {
      const only = await shop.findOrder(recent[0]!.number);
      if (only) {
        reply.send(describeOrder(only)).expect(null).end('resolved');
        return;
      }
    }
    reply
      .choose(
        'Which order would you like to check?',
        recent.map((o) => ({
          label: `${o.number} · ${o.firstItem ?? 'order'} · ${STATUS_LABEL[o.status]} · ${formatDay(o.placedAt)}`,
          value: `order:${o.number}`,
        })),
      )
      .set('order_number', null)
      .expect('order_number')
      .step('choosing_order');
  }
}
