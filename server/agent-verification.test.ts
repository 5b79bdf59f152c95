import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConversationDetailSchema, CustomerActionResultSchema, VerificationStartSchema } from '../core/agent-api.js';
import type { ConversationEvent } from '../core/conversation.js';
import { ConversationRepository } from '../db/conversations.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { AgentClient, demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { latestCode, openWidgetSocket, outboxCount, textOf, type ChatClient } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';

const ADA = DEMO_FIXTURES;
const GRACE = DEMO_FIXTURES.second;

/** Polls until `read` gives something (effects and deliveries run after the commit). */
async function eventually<T>(read: () => Promise<T | null | undefined>, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (value !== null && value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe.each(DEPLOYMENTS)('verifying the customer and acting for them from the agent console (%s)', (deployment) => {
  let service: TestService;
  let repo: ConversationRepository;
  let agent: AgentClient;
  let otherTeam: AgentClient;
  let supervisor: AgentClient;

  beforeAll(async () => {
    service = await startTestService(deployment, { ROUTING_AUTO_ASSIGN: 'false', OTP_MAX_ATTEMPTS: '3' });
    repo = new ConversationRepository(service.database.db);
    const demo = await demoAgents(service.env.DATA_DIR!);
    agent = await new AgentClient(service.url).login(demo.technical.email, demo.technical.password);
    otherTeam = await new AgentClient(service.url).login(demo.returns.email, demo.returns.password);
    supervisor = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
  });
  afterAll(async () => {
    await service?.dispose();
  });

  const events = async (id: string): Promise<ConversationEvent[]> => (await repo.loadEvents(id)).map((e) => e.event);
  const detail = async (id: string) => ConversationDetailSchema.parse((await agent.get(`/conversations/${id}`)).body);
  const orderStatus = async (number: string) =>
    (await service.database.db.selectFrom('orders').select(['status', 'payment_status']).where('number', '=', number).executeTakeFirstOrThrow()).status;
  /** What the customer's chat shows, once `expected` arrived. */
  const customerSees = (client: ChatClient, expected: RegExp) =>
    eventually(async () => {
      const text = textOf((await client.history()).messages);
      return expected.test(text) ? text : null;
    }, `the customer to read ${String(expected)}`);

  /** A handed-off web chat whose customer the agent verified with a code sent to the email on file of `orderNumber`'s customer. */
  async function verifiedConversation(orderNumber: string, email: string): Promise<{ client: ChatClient; conversationId: string }> {
    const { client, conversationId } = await handedOffCustomer(service.url);
    const before = await latestCode(service.url, email);
    const sent = await agent.post(`/conversations/${conversationId}/verification`, { method: 'code_email', orderNumber });
    expect(sent.status).toBe(200);
    const code = await eventually(async () => {
      const latest = await latestCode(service.url, email);
      return latest !== before ? latest : null;
    }, 'the code email');
    await client.say(`it's ${code!}`);
    const checked = await agent.post(`/conversations/${conversationId}/verification/check`, { code });
    expect(checked).toMatchObject({ status: 200, body: { outcome: 'verified' } });
    return { client, conversationId };
  }

  test('a code sent to the email on file, read back by the customer, verifies them: only then the agent sees the profile and orders', async () => {
    const { client, conversationId } = await handedOffCustomer(service.url);
    expect((await detail(conversationId)).verifiedCustomer).toBeNull();

    const sent = await agent.post(`/conversations/${conversationId}/verification`, { method: 'code_email', orderNumber: ADA.cancellableOrder });
    expect(sent.status).toBe(200);
    const start = VerificationStartSchema.parse(sent.body);
    expect(start).toMatchObject({ kind: 'code_sent', method: 'code_email', sentTo: 'the email on file (a…@example.com)' });
    const code = await eventually(() => latestCode(service.url, ADA.email), 'the code email');
    await customerSees(client, /sent a 6-digit code to the email address on your account/);
    // Still unverified: sending a code shows nothing of the profile.
    expect((await detail(conversationId)).verifiedCustomer).toBeNull();

    await client.say(code!);
    const checked = await agent.post(`/conversations/${conversationId}/verification/check`, { code });
    expect(checked).toMatchObject({ status: 200, body: { outcome: 'verified' } });
    const view = await detail(conversationId);
    expect(view.verifiedCustomer).toMatchObject({ id: ADA.customerId, name: ADA.name });
    expect(view.verifiedCustomer!.orders.map((o) => o.number)).toEqual(expect.arrayContaining([ADA.cancellableOrder, ADA.shippedOrder]));
    const log = await events(conversationId);
    const me = view.assigneeId;
    expect(log).toContainEqual(expect.objectContaining({ type: 'verification_requested', method: 'code_email', byAgentId: me, customerId: ADA.customerId }));
    expect(log).toContainEqual(expect.objectContaining({ type: 'customer_verified', customerId: ADA.customerId, method: 'otp', byAgentId: me }));
    await customerSees(client, /you're verified/);
  });

  test('a code on the chat itself goes to a contact linked to the customer; the log and the console keep it masked', async () => {
    const { client, conversationId } = await handedOffCustomer(service.url);
    // Not linked yet: the chat is not known to be the customer's, so no code goes there.
    const refused = await agent.post(`/conversations/${conversationId}/verification`, { method: 'code_channel', orderNumber: ADA.setupOrder });
    expect(refused).toMatchObject({ status: 409, body: { error: { code: 'SB_ERR_CONFLICT' } } });

    const row = await service.database.db.selectFrom('conversations').select('contact_id').where('id', '=', conversationId).executeTakeFirstOrThrow();
    await repo.linkCustomer(row.contact_id, ADA.customerId);
    const socket = await openWidgetSocket(service.url, client.token);
    try {
      const emailsBefore = await outboxCount(service.url);
      const sent = await agent.post(`/conversations/${conversationId}/verification`, { method: 'code_channel' });
      expect(sent).toMatchObject({ status: 200, body: { kind: 'code_sent', sentTo: 'this conversation' } });
      const pushed = await eventually(async () => {
        const entry = (socket.pushed as Array<{ type: string; message?: { kind: string; text?: string } }>).find((f) => f.type === 'message' && /verification code is \d{6}/.test(f.message?.text ?? ''));
        return entry?.message?.text;
      }, 'the code on the widget');
      const code = /(\d{6})/.exec(pushed)![1]!;
      // No email or SMS: the code went to the chat only.
      expect(await outboxCount(service.url)).toBe(emailsBefore);
      // The agent's transcript and the chat's stored history hold the code masked.
      expect(JSON.stringify((await detail(conversationId)).transcript)).not.toContain(code);
      expect(textOf((await client.history()).messages)).toContain('verification code is ••••••');

      await client.say(code);
      const checked = await agent.post(`/conversations/${conversationId}/verification/check`, { code });
      expect(checked).toMatchObject({ status: 200, body: { outcome: 'verified' } });
      expect(await events(conversationId)).toContainEqual(expect.objectContaining({ type: 'customer_verified', method: 'channel' }));
      expect((await detail(conversationId)).verifiedCustomer).toMatchObject({ id: ADA.customerId });
    } finally {
      socket.close();
    }
  });

  test('the security question on the profile verifies the customer; case and spacing of the answer do not matter, a wrong answer is recorded', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const asked = await agent.post(`/conversations/${conversationId}/verification`, { method: 'security_question', email: ADA.email.toUpperCase() });
    expect(asked).toMatchObject({ status: 200, body: { kind: 'question', question: 'What was the name of your first pet?' } });
    // A code where an answer is expected names the field to send.
    expect(await agent.post(`/conversations/${conversationId}/verification/check`, { code: '123456' })).toMatchObject({ status: 400, body: { error: { code: 'SB_ERR_VALIDATION' } } });

    const wrong = await agent.post(`/conversations/${conversationId}/verification/check`, { answer: 'Rex' });
    expect(wrong).toMatchObject({ status: 200, body: { outcome: 'wrong' } });
    expect((await detail(conversationId)).verifiedCustomer).toBeNull();
    const right = await agent.post(`/conversations/${conversationId}/verification/check`, { answer: '  PIXEL ' });
    expect(right).toMatchObject({ status: 200, body: { outcome: 'verified' } });
    const log = await events(conversationId);
    expect(log).toContainEqual(expect.objectContaining({ type: 'verification_failed', method: 'security_question', outcome: 'wrong' }));
    expect(log).toContainEqual(expect.objectContaining({ type: 'customer_verified', method: 'security_question', customerId: ADA.customerId }));
    // The answer itself is stored nowhere: only its argon2id hash.
    const stored = await service.database.db.selectFrom('customer_security_questions').select('answer_hash').where('customer_id', '=', ADA.customerId).executeTakeFirstOrThrow();
    expect(stored.answer_hash).toMatch(/^\$argon2id\$/);
  });

  test('a conversation the agent has not identified needs the order or email the customer gave; no code goes to an address the agent types', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const before = await outboxCount(service.url);
    const missing = await agent.post(`/conversations/${conversationId}/verification`, { method: 'code_email' });
    expect(missing).toMatchObject({ status: 400, body: { error: { code: 'SB_ERR_VALIDATION', details: [expect.objectContaining({ path: 'body.orderNumber' })] } } });
    const typed = await agent.post(`/conversations/${conversationId}/verification`, { method: 'code_email', to: 'attacker@example.net', orderNumber: ADA.setupOrder });
    expect(typed).toMatchObject({ status: 400, body: { error: { code: 'SB_ERR_VALIDATION' } } });
    const unknown = await agent.post(`/conversations/${conversationId}/verification`, { method: 'code_email', orderNumber: '999999' });
    expect(unknown).toMatchObject({ status: 404 });
    expect(await outboxCount(service.url)).toBe(before);
    expect((await events(conversationId)).some((e) => e.type === 'verification_requested')).toBe(false);
  });

  test('actions are refused (403) until the customer is verified, and change nothing', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    const statusBefore = await orderStatus(ADA.cancellableOrder);
    const before = await events(conversationId);
    const res = await agent.post(`/conversations/${conversationId}/actions/cancel-order`, { orderNumber: ADA.cancellableOrder, reason: 'customer asked' });
    expect(res).toMatchObject({ status: 403, body: { error: { code: 'SB_ERR_FORBIDDEN' } } });
    expect(await orderStatus(ADA.cancellableOrder)).toBe(statusBefore);
    expect(await events(conversationId)).toEqual(before);
  });

  test('an agent of another team can neither verify nor act in the conversation (404, nothing stored)', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    expect((await supervisor.post(`/conversations/${conversationId}/transfer`, { team: 'technical', reason: 'device question' })).status).toBe(200);
    const before = await events(conversationId);
    const emails = await outboxCount(service.url);
    for (const [path, body] of [
      ['verification', { method: 'code_email', orderNumber: ADA.setupOrder }],
      ['verification/check', { code: '123456' }],
      ['actions/cancel-order', { orderNumber: ADA.cancellableOrder, reason: 'customer asked' }],
    ] as const) {
      const res = await otherTeam.post(`/conversations/${conversationId}/${path}`, body);
      expect(res).toMatchObject({ status: 404, body: { error: { code: 'SB_ERR_NOT_FOUND' } } });
    }
    expect(await events(conversationId)).toEqual(before);
    expect(await outboxCount(service.url)).toBe(emails);
  });

  test('a verified customer’s order is cancelled before shipment, audited with the agent and reason, and the customer is told; a shipped one is refused', async () => {
    const { client, conversationId } = await verifiedConversation(ADA.setupOrder, ADA.email);
    const shipped = await agent.post(`/conversations/${conversationId}/actions/cancel-order`, { orderNumber: ADA.shippedOrder, reason: 'customer changed their mind' });
    expect(shipped).toMatchObject({ status: 409, body: { error: { code: 'SB_ERR_CONFLICT', message: expect.stringMatching(/100234 is shipped/) } } });
    expect(await orderStatus(ADA.shippedOrder)).toBe('shipped');
    expect((await events(conversationId)).some((e) => e.type === 'agent_action_taken')).toBe(false);

    const noReason = await agent.post(`/conversations/${conversationId}/actions/cancel-order`, { orderNumber: ADA.cancellableOrder });
    expect(noReason).toMatchObject({ status: 400, body: { error: { details: [expect.objectContaining({ path: 'body.reason' })] } } });

    const res = await agent.post(`/conversations/${conversationId}/actions/cancel-order`, { orderNumber: ADA.cancellableOrder, reason: 'customer changed their mind' });
    expect(res.status).toBe(200);
    const result = CustomerActionResultSchema.parse(res.body);
    expect(result).toMatchObject({ action: 'cancel_order', outcome: expect.stringMatching(/^cancelled/) });
    expect(await orderStatus(ADA.cancellableOrder)).toBe('cancelled');
    const me = (await detail(conversationId)).assigneeId;
    expect(await events(conversationId)).toContainEqual(
      expect.objectContaining({ type: 'agent_action_taken', action: 'cancel_order', agentId: me, reason: 'customer changed their mind', orderNumber: ADA.cancellableOrder, customerId: ADA.customerId }),
    );
    await customerSees(client, /I've cancelled order 100236; it won't be shipped/);
    // Cancelling again: it is no longer before shipment in any sense, the write path says so.
    const again = await agent.post(`/conversations/${conversationId}/actions/cancel-order`, { orderNumber: ADA.cancellableOrder, reason: 'again' });
    expect(again.status).toBe(409);
  });

  test('starting a return follows the return policy and issues an RMA with a working label link the customer receives', async () => {
    const { client, conversationId } = await verifiedConversation(ADA.setupOrder, ADA.email);
    const res = await agent.post(`/conversations/${conversationId}/actions/start-return`, {
      orderNumber: ADA.returnableOrder,
      condition: 'unopened',
      returnReason: 'changed_mind',
      reason: 'customer prefers another model',
    });
    expect(res.status).toBe(200);
    const result = CustomerActionResultSchema.parse(res.body);
    expect(result.rma).toMatch(/^R/);
    expect(result.labelUrl).toContain(`/returns/${result.rma!}/label.pdf?expires=`);
    const label = await fetch(result.labelUrl!);
    expect(label.status).toBe(200);
    expect(label.headers.get('content-type')).toContain('application/pdf');
    const told = await customerSees(client, new RegExp(`return number is ${result.rma!}`));
    expect(told).toContain(result.labelUrl);
    expect(await events(conversationId)).toContainEqual(expect.objectContaining({ type: 'agent_action_taken', action: 'start_return', reason: 'customer prefers another model' }));
    // One RMA per order line: a second return of it is refused.
    const twice = await agent.post(`/conversations/${conversationId}/actions/start-return`, { orderNumber: ADA.returnableOrder, condition: 'unopened', returnReason: 'changed_mind', reason: 'again' });
    expect(twice).toMatchObject({ status: 409, body: { error: { message: expect.stringContaining(result.rma!) } } });
  });

  test('a return outside the policy window is refused (422) with the policy’s reason, and nothing is booked', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    await agent.post(`/conversations/${conversationId}/verification`, { method: 'security_question', orderNumber: GRACE.expiredReturnOrder });
    expect(await agent.post(`/conversations/${conversationId}/verification/check`, { answer: 'new york' })).toMatchObject({ body: { outcome: 'verified' } });
    const res = await agent.post(`/conversations/${conversationId}/actions/start-return`, { orderNumber: GRACE.expiredReturnOrder, condition: 'unopened', returnReason: 'changed_mind', reason: 'customer asked' });
    expect(res).toMatchObject({ status: 422, body: { error: { code: 'SB_ERR_POLICY', message: expect.stringContaining('outside_window') } } });
    const returns = await service.database.db.selectFrom('returns').select('rma').where('order_number', '=', GRACE.expiredReturnOrder).execute();
    expect(returns).toEqual([]);
    // Someone else's order is not this customer's: the same 404 as a missing one.
    const othersOrder = await agent.post(`/conversations/${conversationId}/actions/refund`, { orderNumber: ADA.setupOrder, reason: 'customer asked' });
    expect(othersOrder).toMatchObject({ status: 404 });
  });

  test('wrong codes spend the bot’s attempt budget: after it, even the right code is refused (429) and the customer stays unverified', async () => {
    const { conversationId } = await handedOffCustomer(service.url);
    expect((await agent.post(`/conversations/${conversationId}/verification`, { method: 'code_email', orderNumber: GRACE.outForDeliveryOrder })).status).toBe(200);
    const code = await eventually(() => latestCode(service.url, GRACE.email), 'the code email');
    const wrongCode = code === '000000' ? '111111' : '000000';
    const outcomes: Array<[number, unknown]> = [];
    for (let i = 0; i < 3; i++) {
      const res = await agent.post(`/conversations/${conversationId}/verification/check`, { code: wrongCode });
      outcomes.push([res.status, (res.body as { outcome?: string; error?: { code: string } }).outcome ?? (res.body as { error: { code: string } }).error.code]);
    }
    expect(outcomes).toEqual([
      [200, 'wrong'],
      [200, 'wrong'],
      [429, 'SB_ERR_RATE_LIMITED'],
    ]);
    const right = await agent.post(`/conversations/${conversationId}/verification/check`, { code });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await detail(conversationId)).verifiedCustomer).toBeNull();
    // A fresh code does not reset the budget either.
    expect((await agent.post(`/conversations/${conversationId}/verification`, { method: 'code_email', orderNumber: GRACE.outForDeliveryOrder })).status).toBe(429);
    const failures = (await events(conversationId)).filter((e) => e.type === 'verification_failed');
    expect(failures.map((e) => e.type === 'verification_failed' && e.outcome)).toEqual(['wrong', 'wrong', 'paused', 'paused']);
    expect((await events(conversationId)).some((e) => e.type === 'customer_verified')).toBe(false);
  });
});
