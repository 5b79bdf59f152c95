import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConversationStateSchema } from '../core/conversation-state.js';
import { isSwitchboardError } from '../core/errors.js';
import { projectionOf } from '../db/conversation-projection.js';
import { ConversationRepository } from '../db/conversations.js';
import type { Database } from '../db/schema.js';
import type { AgentActionResult, AgentActions } from '../handoff/agent-actions.js';
import { ChatClient, type SendResult } from '../test/chat-client.js';
import { startInstancePair, type InstancePair } from '../test/instance-pair.js';
import { DEPLOYMENTS } from '../test/service.js';
import { foldEvents } from './state.js';
import { snapshotKey } from './tracker.js';

const newId = (): string => randomUUID().replaceAll('-', '');

/** Reads the log and the projection in one snapshot of the database: the projection must be the fold of the log. */
async function expectProjectionIsFold(db: Kysely<Database>, conversationId: string): Promise<number> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const repo = new ConversationRepository(trx);
      const events = await repo.loadEvents(conversationId);
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i));
      expect(await repo.projection(conversationId)).toEqual(projectionOf(foldEvents(events.map((e) => e.event))));
      return events.length;
    });
}

type AgentMove = (actions: AgentActions, conversationId: string, i: number) => Promise<AgentActionResult>;
/** The agent side of each round, in turn: take it, answer, give it back to the bot, a second agent tries to take it. */
const AGENT_MOVES: AgentMove[] = [
  (actions, id) => actions.assign(id, 'agent-1'),
  (actions, id, i) => actions.agentSay(id, 'agent-1', `agent line ${i}`),
  (actions, id) => actions.returnToBot(id, 'agent-1'),
  (actions, id) => actions.assign(id, 'agent-2'),
];
/** The customer side of each round. */
const CUSTOMER_LINES = ['talk to a person', 'hello', 'where is my order?', 'thanks'];

describe.each(DEPLOYMENTS)('one write path per conversation (%s)', (deployment) => {
  let pair: InstancePair;
  beforeAll(async () => {
    pair = await startInstancePair(deployment, { WEBCHAT_MESSAGES_PER_MINUTE: '100000' });
  });
  afterAll(async () => {
    await pair?.dispose();
  });

  test("a customer's turns and an agent's writes on one conversation, 200 rounds interleaved across instances: no seq collision, no lost event, the status column always the fold of the log", async () => {
    const { a, b } = pair;
    const onA = await new ChatClient(a.url).start();
    const onB = new ChatClient(b.url);
    onB.token = onA.token;
    await onA.say('hello');
    const conversationId = (await onA.history()).conversationId!;
    const db = a.database.db;

    const customer: Array<{ id: string; result: SendResult }> = [];
    const agent: Array<{ round: number; result: AgentActionResult }> = [];
    let refusedAgentWrites = 0;
    for (let round = 0; round < 200; round += 1) {
      const id = newId();
      const [said, acted, observed] = await Promise.allSettled([
        (round % 2 === 0 ? onA : onB).say(CUSTOMER_LINES[round % 4]!, { id }),
        // Started at a different point of the customer's turn each round (before it reaches the
        // server, during NLU, during its commit), so the two writers really overlap.
        sleep((round * 7) % 25).then(() => AGENT_MOVES[round % 4]!((round % 2 === 0 ? b : a).agentActions, conversationId, round)),
        // Read while both write: there is no moment where log and projection disagree.
        expectProjectionIsFold(db, conversationId),
      ]);
      if (said.status === 'rejected') throw said.reason;
      if (observed.status === 'rejected') throw observed.reason;
      customer.push({ id, result: said.value });
      if (acted.status === 'fulfilled') agent.push({ round, result: acted.value });
      else if (isSwitchboardError(acted.reason) && acted.reason.code === 'SB_ERR_CONFLICT') refusedAgentWrites += 1;
      else throw acted.reason;
      await expectProjectionIsFold(db, conversationId);
    }

    const log = await new ConversationRepository(db).loadEvents(conversationId);
    const at = new Map(log.map((e) => [e.seq, e.event]));
    // Every seq any writer was told it got holds that writer's event, and no seq was handed out twice.
    const claimed: number[] = [];
    for (const { id, result } of customer) {
      expect(result.duplicate).toBe(false);
      const stored = at.get(result.userSeq!);
      expect(stored?.type === 'user_said' && stored.providerMessageId.endsWith(`:${id}`)).toBe(true);
      claimed.push(result.userSeq!);
      for (const reply of result.messages) {
        expect(at.get(reply.seq)).toMatchObject({ type: 'said', author: 'bot' });
        claimed.push(reply.seq);
      }
    }
    for (const { round, result } of agent) {
      claimed.push(...result.seqs);
      const last = at.get(result.seqs.at(-1) ?? -1);
      if (round % 4 === 1) expect(last).toMatchObject({ type: 'said', author: 'agent', message: { text: `agent line ${round}` } });
    }
    expect(new Set(claimed).size).toBe(claimed.length);
    // Nothing lost, nothing doubled: each acknowledged message and agent reply is in the log once.
    const userSaid = log.filter((e) => e.event.type === 'user_said');
    expect(userSaid).toHaveLength(customer.length + 1);
    expect(log.filter((e) => e.event.type === 'said' && e.event.author === 'agent')).toHaveLength(agent.filter((w) => w.round % 4 === 1).length);

    expect(await expectProjectionIsFold(db, conversationId)).toBe(log.length);
    // Both writers really met: the agent took the conversation and gave it back, the customer was relayed and answered.
    expect(log.filter((e) => e.event.type === 'status_changed').length).toBeGreaterThan(50);
    expect(customer.filter((c) => c.result.messages.length === 0).length).toBeGreaterThan(0);
    expect(customer.filter((c) => c.result.messages.length > 0).length).toBeGreaterThan(0);
    expect(agent.length + refusedAgentWrites).toBe(200);
  }, 300_000);

  test('when the projection cannot be written, the events are not stored either, and the retry of the message is processed', async () => {
    const { a } = pair;
    const client = await new ChatClient(a.url).start();
    await client.say('hello');
    const conversationId = (await client.history()).conversationId!;
    const repo = new ConversationRepository(a.database.db);
    const before = await repo.loadEvents(conversationId);
    const projectionBefore = await repo.projection(conversationId);

    // What a crash between the two writes used to leave behind can no longer happen: make the
    // projection update fail, and the statement that appends the events fails with it.
    const constraint = sql.raw(`test_refuses_${newId()}`);
    await sql`alter table conversations add constraint ${constraint} check (id <> ${sql.lit(conversationId)} or last_seq < ${sql.lit(before.length)})`.execute(a.database.db);
    const id = newId();
    try {
      const refused = await fetch(`${a.url}/api/webchat/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${client.token}` },
        body: JSON.stringify({ id, text: 'talk to a person' }),
      });
      expect(refused.status).toBe(500);
      await expect(a.agentActions.resolve(conversationId, 'agent-1')).rejects.toThrow();
      expect(await repo.loadEvents(conversationId)).toEqual(before);
      expect(await repo.projection(conversationId)).toEqual(projectionBefore);
    } finally {
      await sql`alter table conversations drop constraint ${constraint}`.execute(a.database.db);
    }

    const retried = await client.say('talk to a person', { id });
    expect(retried.duplicate).toBe(false);
    expect(retried.userSeq).toBe(before.length);
    expect(await repo.projection(conversationId)).toMatchObject({ status: 'queued', issueType: expect.any(String) });
    await expectProjectionIsFold(a.database.db, conversationId);
  });

  test.each([
    ['not JSON', () => 'not json {'],
    ['another shape', () => JSON.stringify({ version: 99, status: 'hijacked', slots: 'none' })],
    ['an older version without the projection fields', (state: Record<string, unknown>) => JSON.stringify({ ...state, assigneeId: undefined, replyTo: undefined })],
  ])('an invalid cached state (%s) is dropped and rebuilt from the log', async (_name, corrupt) => {
    const { a } = pair;
    const client = await new ChatClient(a.url).start();
    await client.say('hello');
    const conversationId = (await client.history()).conversationId!;
    const key = snapshotKey(conversationId);
    const cached = (await a.state.snapshots.get(key))!;
    expect(await a.state.snapshots.set(key, corrupt(JSON.parse(cached.value) as Record<string, unknown>), cached.version, 60_000)).not.toBeNull();

    const next = await client.say('where is my order?');
    const log = await new ConversationRepository(a.database.db).loadEvents(conversationId);
    expect(next.userSeq).toBe(log.findIndex((e) => e.event.type === 'user_said' && e.event.text === 'where is my order?'));
    expect(next.messages.length).toBeGreaterThan(0);
    // The cache holds a valid state again, the one the log folds to.
    const rewritten = ConversationStateSchema.parse(JSON.parse((await a.state.snapshots.get(key))!.value));
    expect(rewritten).toEqual(foldEvents(log.map((e) => e.event)));
  });
});
