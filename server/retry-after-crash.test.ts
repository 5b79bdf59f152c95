import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ConversationEvent } from '../core/conversation.js';
import { ChatClient } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';

const newId = (): string => randomUUID().replaceAll('-', '');

/** A visitor whose id we know, as the widget holds it after POST /api/webchat/sessions. */
async function visitor(baseUrl: string): Promise<{ client: ChatClient; visitorId: string }> {
  const res = await fetch(`${baseUrl}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const { token, visitorId } = (await res.json()) as { token: string; visitorId: string };
  const client = new ChatClient(baseUrl);
  client.token = token;
  return { client, visitorId };
}

async function customerLines(client: ChatClient): Promise<string[]> {
  return (await client.history()).messages.filter((m) => m.author === 'customer').map((m) => (m.message.kind === 'text' ? m.message.text : ''));
}

describe.each(DEPLOYMENTS)('a provider retry of a message stored before a crash, on %s', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment, { WEBCHAT_MESSAGES_PER_MINUTE: '1000' });
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test('whose idempotency claim was lost (a Redis restart) is answered as the duplicate it is, not a 500', async () => {
    const { client, visitorId } = await visitor(service.url);
    const id = newId();
    expect((await client.say('where is my order?', { id })).duplicate).toBe(false);
    await service.state.idempotency.release(`msg:webchat:${visitorId}:${id}`);

    expect(await client.say('where is my order?', { id })).toEqual({ duplicate: true, messages: [] });
    expect(await customerLines(client)).toEqual(['where is my order?']);
    // The claim is held again: a further retry stops at the state backend.
    expect(await service.state.idempotency.claim(`msg:webchat:${visitorId}:${id}`, 60_000)).toBe(false);
  });

  test('whose claim was left by an attempt that died before storing it (a killed instance) is processed once, not answered as a duplicate', async () => {
    const { client, visitorId } = await visitor(service.url);
    await client.say('hello');
    const id = newId();
    // What the killed attempt left behind: its claim, and nothing in the log.
    expect(await service.state.idempotency.claim(`msg:webchat:${visitorId}:${id}`, 60_000)).toBe(true);

    const retried = await client.say('where is my order?', { id });
    expect(retried.duplicate).toBe(false);
    expect(retried.messages.length).toBeGreaterThan(0);
    expect(await client.say('where is my order?', { id })).toEqual({ duplicate: true, messages: [] });
    expect(await customerLines(client)).toEqual(['hello', 'where is my order?']);
  });

  test('stored in the log while the cached state never heard of it (a crash between the two) is a duplicate, and the next message is answered', async () => {
    const { client, visitorId } = await visitor(service.url);
    const first = await client.say('hello');
    const conversationId = (await client.history()).conversationId!;
    // What the crashed attempt left behind: its row in the log, no claim, a cache one turn behind.
    const id = newId();
    const { rows } = await sql<{ next: number }>`select coalesce(max(seq), -1) + 1 as next from conversation_events where conversation_id = ${conversationId}`.execute(service.database.db);
    const stored: ConversationEvent = { at: new Date().toISOString(), type: 'user_said', channel: 'webchat', providerMessageId: `${visitorId}:${id}`, text: 'where is my order?' };
    await service.database.db
      .insertInto('conversation_events')
      .values({ conversation_id: conversationId, seq: Number(rows[0]!.next), type: 'user_said', provider_message_id: `${visitorId}:${id}`, payload: JSON.stringify(stored) })
      .execute();

    expect(await client.say('where is my order?', { id })).toEqual({ duplicate: true, messages: [] });
    const next = await client.say('I want to return something');
    expect(next.duplicate).toBe(false);
    expect(next.userSeq).toBeGreaterThan(first.userSeq ?? 0);
    expect(next.messages.length).toBeGreaterThan(0);
    expect(await customerLines(client)).toEqual(['hello', 'where is my order?', 'I want to return something']);
  });
});
