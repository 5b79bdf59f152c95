import { z } from 'zod';
import {
  CancelOrderBodySchema,
  ChangeAddressBodySchema,
  OpenCaseBodySchema,
  PaymentRetryBodySchema,
  RefundBodySchema,
  StartReturnBodySchema,
  type CustomerActionResult,
} from '../core/agent-api.js';
import type { AgentOrderAction, ConversationEvent } from '../core/conversation.js';
import type { ReplyIdentity } from '../core/conversation-state.js';
import type { ConversationEffect, ConversationWrites } from '../core/conversation-writes.js';
import { detailsFromZodIssues, SwitchboardError } from '../core/errors.js';
import type { PaymentStatus } from '../core/order-status.js';
import { refundNote } from '../bots/flows/order-cancel.js';
import { formatAddress } from '../bots/flows/shipping-address.js';
import { openCaseOnce } from '../bots/flows/open-case.js';
import type { IdentityGate } from '../bots/identity-gate.js';
import { formatMoney } from '../bots/returns/money.js';
import { policyInput } from '../bots/returns/pick.js';
import type { ReturnReason } from '../bots/returns/policy-file.js';
import { evaluateReturn, settleReturn, type ItemCondition } from '../bots/returns/policy.js';
import type { ReturnsServices } from '../bots/returns/services.js';
import { withVerificationExpiry } from '../bots/state.js';
import type { VerifiedCustomer } from '../bots/verified-customer.js';
import type { OrderChangeResult } from '../db/order-changes.js';
import type { OrderDetails } from '../db/orders.js';
import type { ActionGuard } from './agent-actions.js';
import { AGENT_ACTION_COPY as COPY } from './agent-action-copy.js';
import { agentMessage, holdingFor } from './agent-holding.js';

// The console's enums are core's copies of the return policy's: a change there fails to compile here.
const _conditions: readonly ItemCondition[] = StartReturnBodySchema.shape.condition.options;
const _reasons: readonly ReturnReason[] = StartReturnBodySchema.shape.returnReason.options;
void _conditions;
void _reasons;

const CAPTURED: ReadonlySet<PaymentStatus> = new Set(['paid', 'partially_refunded']);
const RETRYABLE: ReadonlySet<PaymentStatus> = new Set(['failed', 'pending']);

export interface AgentOrderActionsDeps {
  writes: ConversationWrites;
  /** Hands out the verified customer of a conversation's state, as it does to flows. */
  gate: Pick<IdentityGate, 'verifiedForAgent'>;
  returns: ReturnsServices;
  publicUrl(): string;
  storedReplyTo(conversationId: string): Promise<ReplyIdentity | null>;
  verificationTtlMs: number;
  shopName: string;
  now?: () => Date;
}

/** What one action did, before it is recorded and told. */
interface Done {
  orderNumber: string | null;
  outcome: string;
  told: string;
  extra?: Pick<CustomerActionResult, 'rma' | 'labelUrl' | 'caseId'>;
}

interface Acting {
  conversationId: string;
  agentId: string;
  customer: VerifiedCustomer;
  effects: ConversationEffect[];
  now: Date;
}

/**
 * What an agent does for the customer this conversation verified: each action runs as the
 * bot's flows do, through the `VerifiedCustomer` the identity gate hands out for the verified
 * customer in the server-side state (so only that customer's orders can be touched), with the
 * same rules (cancel or re-address only before shipment, the return policy, one RMA per line,
 * one open case per order and kind). One `withConversation` each: the audit event (who, why,
 * what came of it) and the agent's message telling the customer are committed together, and a
 * refused action (403 unverified, 404 not theirs, 409 the order moved on, 422 the policy says
 * no) stores nothing.
 */
export class AgentOrderActions {
  constructor(private readonly deps: AgentOrderActionsDeps) {}

  /** Runs `action` with its raw body (validated here against the action's schema). */
  async run(action: AgentOrderAction, conversationId: string, agentId: string, body: unknown, guard: ActionGuard): Promise<CustomerActionResult> {
    switch (action) {
      case 'cancel_order': {
        const input = parse(CancelOrderBodySchema, body);
        return this.act(action, conversationId, agentId, input.reason, guard, (a) => this.cancel(a, input.orderNumber));
      }
      case 'change_address': {
        const input = parse(ChangeAddressBodySchema, body);
        return this.act(action, conversationId, agentId, input.reason, guard, (a) => this.changeAddress(a, input));
      }
      case 'start_return': {
        const input = parse(StartReturnBodySchema, body);
        return this.act(action, conversationId, agentId, input.reason, guard, (a) => this.startReturn(a, input));
      }
      case 'refund': {
        const input = parse(RefundBodySchema, body);
        return this.act(action, conversationId, agentId, input.reason, guard, (a) => this.refund(a, input));
      }
      case 'payment_retry': {
        const input = parse(PaymentRetryBodySchema, body);
        return this.act(action, conversationId, agentId, input.reason, guard, (a) => this.paymentRetry(a, input));
      }
      case 'open_case': {
        const input = parse(OpenCaseBodySchema, body);
        return this.act(action, conversationId, agentId, input.reason, guard, (a) => this.openCase(a, input));
      }
      default: {
        const unknown: never = action;
        throw new Error(`unexpected action ${String(unknown)}`);
      }
    }
  }

  private act(action: AgentOrderAction, conversationId: string, agentId: string, reason: string, guard: ActionGuard, run: (acting: Acting) => Promise<Done>): Promise<CustomerActionResult> {
    return this.deps.writes.withConversation(conversationId, async ({ state }) => {
      guard(state);
      const now = this.deps.now?.() ?? new Date();
      const at = now.toISOString();
      const customerId = withVerificationExpiry(state, now, this.deps.verificationTtlMs).verifiedCustomerId;
      if (customerId === null) throw new SwitchboardError('SB_ERR_FORBIDDEN', 'The customer is not verified in this conversation: verify them first (POST …/verification)');
      const events: ConversationEvent[] = holdingFor(state, agentId, at);
      const replyTo = state.replyTo ?? (await this.deps.storedReplyTo(conversationId));
      if (replyTo === null) throw new SwitchboardError('SB_ERR_CONFLICT', 'The conversation has no channel identity to tell the customer on');
      const effects: ConversationEffect[] = [];
      const customer = this.deps.gate.verifiedForAgent(customerId, effects);
      const done = await run({ conversationId, agentId, customer, effects, now });
      events.push({ at, type: 'agent_action_taken', agentId, action, reason, customerId, orderNumber: done.orderNumber, outcome: done.outcome });
      const said = agentMessage(conversationId, replyTo, agentId, state.version + events.length, at, done.told);
      events.push(said.event);
      effects.push(said.effect);
      const result: CustomerActionResult = {
        conversationId,
        action,
        outcome: done.outcome,
        told: done.told,
        ...done.extra,
        seqs: events.map((_, i) => state.version + i),
      };
      return { events, effects, result };
    });
  }

  private async cancel({ customer, effects, now }: Acting, orderNumber: string): Promise<Done> {
    const result = changed(await customer.cancelOrder(orderNumber, now), orderNumber, 'cancelled');
    const money = refundNote(result.paymentStatus, formatMoney(result.totalCents, result.currency));
    const profile = await customer.profile();
    if (profile !== null) {
      effects.push({
        kind: 'notify',
        notification: {
          transport: 'email',
          to: profile.email,
          subject: COPY.cancelledEmail(this.deps.shopName, orderNumber),
          body: COPY.cancelledEmailBody(profile.name.split(' ')[0] ?? '', orderNumber, money),
        },
      });
    }
    return { orderNumber, outcome: `cancelled (payment ${result.paymentStatus})`, told: COPY.cancelled(orderNumber, money) };
  }

  private async changeAddress({ customer, now }: Acting, input: z.infer<typeof ChangeAddressBodySchema>): Promise<Done> {
    changed(await customer.changeAddress(input.orderNumber, input.address, now), input.orderNumber, 're-addressed');
    return { orderNumber: input.orderNumber, outcome: 'address changed', told: COPY.addressChanged(input.orderNumber, formatAddress(input.address)) };
  }

  private async startReturn({ conversationId, customer, now }: Acting, input: z.infer<typeof StartReturnBodySchema>): Promise<Done> {
    const order = await this.orderOf(customer, input.orderNumber);
    const lines = await customer.orderLines(order.number);
    const line = input.line === undefined ? lines[0] : lines.find((l) => l.line === input.line);
    if (line === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `Order ${order.number} has no line ${input.line ?? 1}`);
    const existing = await customer.returnOf(order.number, line.line);
    if (existing !== null) throw new SwitchboardError('SB_ERR_CONFLICT', `The ${line.name} of order ${order.number} already has a return: ${existing.rma} (${existing.status})`);
    const { policy, labelLinks } = this.deps.returns;
    const decision = evaluateReturn(policyInput(order, line, { condition: input.condition, reason: input.returnReason, now }), policy);
    if (!decision.eligible) throw new SwitchboardError('SB_ERR_POLICY', `The return policy does not allow this return (${decision.reason}): ${decision.explanation}`);
    const settlement = settleReturn(decision, input.resolution, line, policy);
    const { record } = await customer.createReturn({
      orderNumber: order.number,
      conversationId,
      line: { line: line.line, sku: line.sku, quantity: line.quantity },
      status: input.method === 'label' ? 'label_issued' : 'requested',
      resolution: input.resolution,
      method: input.method,
      reason: input.returnReason,
      ...settlement,
    });
    const labelUrl = record.method === 'label' ? labelLinks.url(this.deps.publicUrl(), record.rma, now) : null;
    const money = record.resolution === 'refund' ? COPY.refundMoney(formatMoney(record.refundCents, order.currency)) : COPY.exchangeMoney;
    return {
      orderNumber: order.number,
      outcome: `return ${record.rma} (${record.status})`,
      told: COPY.returnStarted({ product: line.name, orderNumber: order.number, rma: record.rma, money, labelUrl, validDays: policy.labelValidDays }),
      extra: { rma: record.rma, ...(labelUrl !== null ? { labelUrl } : {}) },
    };
  }

  private async refund({ conversationId, agentId, customer }: Acting, input: z.infer<typeof RefundBodySchema>): Promise<Done> {
    const order = await this.orderOf(customer, input.orderNumber);
    if (!CAPTURED.has(order.paymentStatus)) {
      throw new SwitchboardError('SB_ERR_POLICY', `Order ${order.number} has no captured payment to refund (payment ${order.paymentStatus})${order.status !== 'cancelled' && order.status !== 'returned' ? '' : `; it is ${order.status}`}`);
    }
    const { row, existing } = await openCaseOnce(customer, {
      conversationId,
      kind: 'refund_request',
      orderNumber: order.number,
      summary: `Refund requested by an agent for order ${order.number} (${formatMoney(order.totalCents, order.currency)})`,
      details: { requestedBy: agentId, reason: input.reason },
    });
    return { orderNumber: order.number, outcome: `refund request ${row.id}${existing ? ' (already open)' : ''}`, told: COPY.refundRequested(order.number, row.id), extra: { caseId: row.id } };
  }

  private async paymentRetry({ conversationId, agentId, customer }: Acting, input: z.infer<typeof PaymentRetryBodySchema>): Promise<Done> {
    const order = await this.orderOf(customer, input.orderNumber);
    if (!RETRYABLE.has(order.paymentStatus) || order.status === 'cancelled') {
      throw new SwitchboardError('SB_ERR_POLICY', `Order ${order.number}'s payment is ${order.paymentStatus}${order.status === 'cancelled' ? ' and the order is cancelled' : ''}: there is no payment to retry`);
    }
    const { row, existing } = await openCaseOnce(customer, {
      conversationId,
      kind: 'payment',
      orderNumber: order.number,
      summary: `Payment retry requested by an agent for order ${order.number}`,
      details: { requestedBy: agentId, reason: input.reason, paymentStatus: order.paymentStatus },
    });
    return { orderNumber: order.number, outcome: `payment retry ${row.id}${existing ? ' (already open)' : ''}`, told: COPY.paymentRetry(order.number, row.id), extra: { caseId: row.id } };
  }

  private async openCase({ conversationId, agentId, customer, now }: Acting, input: z.infer<typeof OpenCaseBodySchema>): Promise<Done> {
    const device = input.serial === undefined ? null : await customer.device(input.serial);
    if (input.serial !== undefined && device === null) throw new SwitchboardError('SB_ERR_NOT_FOUND', `No device ${input.serial} on this customer's profile`);
    const order = input.orderNumber === undefined ? null : await this.orderOf(customer, input.orderNumber);
    if (input.kind === 'warranty' && device !== null) {
      const warranty = await customer.warranty({ sku: device.sku, now, ...(order !== null ? { orderNumber: order.number } : {}) });
      if (warranty !== null && !warranty.inWarranty) {
        throw new SwitchboardError('SB_ERR_POLICY', warranty.expiresAt !== null ? COPY.warrantyEnded(warranty.productName, warranty.expiresAt) : `The ${warranty.productName} carries no warranty: open a repair case instead`);
      }
    }
    const about = device !== null ? `your ${device.productName} (${device.serial})` : order !== null ? `order ${order.number}` : 'your request';
    const opened = await customer.openCase({
      conversationId,
      kind: input.kind,
      summary: input.summary,
      details: { requestedBy: agentId, reason: input.reason, ...(device !== null ? { serial: device.serial, sku: device.sku } : {}), ...(order !== null ? { orderNumber: order.number } : {}) },
    });
    return { orderNumber: order?.number ?? null, outcome: `${input.kind} case ${opened.id}`, told: COPY.caseOpened(input.kind, about, opened.id), extra: { caseId: opened.id } };
  }

  private async orderOf(customer: VerifiedCustomer, orderNumber: string): Promise<OrderDetails> {
    const order = await customer.order(orderNumber);
    // Someone else's order reads as a missing one, as it does to the bot.
    if (order === null) throw new SwitchboardError('SB_ERR_NOT_FOUND', `No order ${orderNumber} on this customer's account`);
    return order;
  }
}

/** A change that went through, or the refusal the console shows. */
function changed(result: OrderChangeResult, orderNumber: string, verb: string): Extract<OrderChangeResult, { outcome: 'changed' }> {
  switch (result.outcome) {
    case 'changed':
      return result;
    case 'not_changeable':
      throw new SwitchboardError('SB_ERR_CONFLICT', `Order ${orderNumber} is ${result.status}: only an order that has not shipped yet can be ${verb}${result.status === 'shipped' || result.status === 'delivered' ? '; start a return once it is delivered' : ''}`);
    case 'not_found':
      throw new SwitchboardError('SB_ERR_NOT_FOUND', `No order ${orderNumber} on this customer's account`);
    default: {
      const unknown: never = result;
      throw new Error(`unexpected order change ${JSON.stringify(unknown)}`);
    }
  }
}

function parse<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new SwitchboardError('SB_ERR_VALIDATION', 'The request body is invalid', detailsFromZodIssues(parsed.error.issues, 'body'));
  }
  return parsed.data;
}
