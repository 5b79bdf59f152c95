import type { Request, Router } from 'express';
import { z } from 'zod';
import {
  CancelOrderBodySchema,
  ChangeAddressBodySchema,
  CustomerActionResultSchema,
  OpenCaseBodySchema,
  PaymentRetryBodySchema,
  RefundBodySchema,
  StartReturnBodySchema,
  VerificationCheckBodySchema,
  VerificationCheckSchema,
  VerificationStartBodySchema,
  VerificationStartSchema,
  type AgentProfile,
} from '../../core/agent-api.js';
import { apiDocs } from '../../core/api-doc.js';
import type { AgentOrderAction } from '../../core/conversation.js';
import type { ConversationState } from '../../core/conversation-state.js';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import type { ConversationHeader } from '../../db/agent-queue.js';
import { assertAccess } from '../../handoff/agent-access.js';
import type { AgentOrderActions } from '../../handoff/agent-order-actions.js';
import type { AgentVerification, VerificationTarget } from '../../handoff/agent-verification.js';

/** `POST …/actions/<path>`: the paths name the actions with dashes, as the issue does. */
const ACTION_PATHS: Record<string, AgentOrderAction> = {
  'cancel-order': 'cancel_order',
  'change-address': 'change_address',
  'start-return': 'start_return',
  refund: 'refund',
  'payment-retry': 'payment_retry',
  'open-case': 'open_case',
};

export interface CustomerRouteDeps {
  verification: AgentVerification;
  orderActions: AgentOrderActions;
  /** The signed-in agent and the conversation they may reply in (routes.ts authorises both). */
  agentOf(req: Request): AgentProfile;
  visibleHeader(agent: AgentProfile, rawId: string | string[] | undefined): Promise<ConversationHeader>;
}

/**
 * Verifying the customer and acting for them (docs/agents.md, "Verifying the customer"), on the
 * agent router after its session and Origin checks. Authorised as a reply is: the conversation
 * must be in the agent's queues (404 otherwise), checked again under its lock.
 */
export function customerRoutes(router: Router, deps: CustomerRouteDeps): void {
  const prepare = async (req: Request): Promise<{ agent: AgentProfile; target: VerificationTarget; guard: (state: ConversationState) => void }> => {
    const agent = deps.agentOf(req);
    const header = await deps.visibleHeader(agent, req.params.id);
    const guard = (state: ConversationState): void => assertAccess(agent, { status: state.status, team: state.team, assigneeId: state.assigneeId }, 'reply');
    return { agent, target: { conversationId: header.id, contactId: header.contactId, linkedCustomerId: header.customerId }, guard };
  };

  router.post('/conversations/:id/verification', async (req, res) => {
    const { agent, target, guard } = await prepare(req);
    res.json(await deps.verification.start(target, agent.id, parseBody(VerificationStartBodySchema, req.body), guard));
  });

  router.post('/conversations/:id/verification/check', async (req, res) => {
    const { agent, target, guard } = await prepare(req);
    const result = await deps.verification.check(target, agent.id, parseBody(VerificationCheckBodySchema, req.body), guard);
    // The failed attempt is recorded; the answer is the bot's pause (429 with Retry-After).
    if (result.outcome === 'paused') {
      throw new SwitchboardError('SB_ERR_RATE_LIMITED', 'Verification of this customer is paused after too many attempts', [], { retryAfterSeconds: result.retryAfterSeconds ?? 60 });
    }
    res.json({ outcome: result.outcome, seqs: result.seqs });
  });

  router.post('/conversations/:id/actions/:action', async (req, res) => {
    const action = ACTION_PATHS[typeof req.params.action === 'string' ? req.params.action : ''];
    if (action === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', `No such action: use one of ${Object.keys(ACTION_PATHS).join(', ')}`);
    const { agent, target, guard } = await prepare(req);
    res.json(await deps.orderActions.run(action, target.conversationId, agent.id, req.body, guard));
  });
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The request body is invalid', detailsFromZodIssues(parsed.error.issues, 'body'));
  return parsed.data;
}

const conversationId = z.object({ id: z.uuid() });
const notVisible = "Unknown, or not in one of the user's queues (the same answer).";
const invalid = 'The body is invalid (SB_ERR_VALIDATION; details name the field).';
const paused = { description: 'Verification of this customer is paused after too many attempts (SB_ERR_RATE_LIMITED).', headers: { 'Retry-After': 'Seconds until the pause ends.' } };

/** The docs of these routes (server/openapi/groups.ts lists them beside the agent API's). */
export const customerRouteDocs = apiDocs('/api/agent', 'Agent console', [
  {
    method: 'post',
    path: '/conversations/:id/verification',
    summary: "Start verifying the conversation's customer: send a one-time code, or get the profile's security question.",
    description:
      "The customer is the one the conversation's contact is linked to, or the owner of `orderNumber` / `email` as the customer gave them. " +
      'Codes go to the email or phone on file (`code_email`, `code_sms`) or, for a contact linked to that customer, to this conversation (`code_channel`). ' +
      "Recorded as `verification_requested` with the agent's id; acting takes a queued conversation.",
    security: 'agentSession',
    params: conversationId,
    body: VerificationStartBodySchema,
    responses: {
      200: { description: 'Where the code went (masked), or the question to ask.', json: VerificationStartSchema.and(z.object({ seqs: z.array(z.number().int()) })) },
      400: invalid,
      401: 'No valid session.',
      403: 'Foreign or missing Origin (SB_ERR_FORBIDDEN).',
      404: `${notVisible} Or no customer on file has that order number or email.`,
      409: 'Another agent holds the conversation; the bot holds it; no phone on file (code_sms); the chat is not linked to the customer (code_channel); no security question.',
      429: paused,
    },
  },
  {
    method: 'post',
    path: '/conversations/:id/verification/check',
    summary: 'Check the code or answer the customer gave; the outcome is recorded either way.',
    description: "Wrong codes and answers spend the bot's attempt budgets (OTP_MAX_ATTEMPTS per conversation, contact, claim and customer).",
    security: 'agentSession',
    params: conversationId,
    body: VerificationCheckBodySchema,
    responses: {
      200: { description: '`verified`, `wrong` or `expired`.', json: VerificationCheckSchema },
      400: invalid,
      401: 'No valid session.',
      403: 'Foreign or missing Origin (SB_ERR_FORBIDDEN).',
      404: notVisible,
      409: 'Nothing to check yet, or another agent holds the conversation.',
      429: paused,
    },
  },
  {
    method: 'post',
    path: '/conversations/:id/actions/:action',
    summary: 'Act for the verified customer, with a reason: recorded as `agent_action_taken` and told to the customer on their channel.',
    description: 'The body is the action\'s: `cancel-order`, `change-address`, `start-return`, `refund`, `payment-retry` or `open-case` (docs/agents.md).',
    security: 'agentSession',
    params: conversationId.extend({ action: z.enum(Object.keys(ACTION_PATHS) as [string, ...string[]]) }),
    body: z.union([CancelOrderBodySchema, ChangeAddressBodySchema, StartReturnBodySchema, RefundBodySchema, PaymentRetryBodySchema, OpenCaseBodySchema]),
    responses: {
      200: { description: 'What was done and what the customer was told.', json: CustomerActionResultSchema },
      400: invalid,
      401: 'No valid session.',
      403: 'The customer is not verified in this conversation, or a foreign Origin (SB_ERR_FORBIDDEN).',
      404: `${notVisible} Or the order or device is not this customer's.`,
      409: 'The order moved on (e.g. already shipped), a return exists for the line, or another agent holds the conversation.',
      422: "The shop's policy does not allow it (SB_ERR_POLICY): outside the return window, no captured payment, out of warranty.",
    },
  },
]);
