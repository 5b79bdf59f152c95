import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ConversationRepository } from '../db/conversations.js';
import { ChatClient, openWidgetSocket } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';

describe.each(DEPLOYMENTS)('what agents do to a conversation (%s)', (deployment) => {
  let service: TestService;
  let repo: ConversationRepository;
  beforeAll(async () => {
    service = await startTestService(deployment, { WEBCHAT_MESSAGES_PER_MINUTE: '1000' });
    repo = new ConversationRepository(service.database.db);
  });
  afterAll(async () => {
    await service?.dispose();
  });

  async function handedOff(): Promise<{ client: ChatClient; conversationId: string }> {
    const client = await new ChatClient(service.url).start();
    await client.say('talk to a person');
    return { client, conversationId: (await client.history()).conversationId! };
  }

  test("an agent's reply reaches the customer's widget, and while the agent holds the conversation the bot stays quiet", async () => {
    const { client, conversationId } = await handedOff();
    const { pushed, close } = await openWidgetSocket(service.url, client.token);
    const replied = await service.agentActions.agentSay(conversationId, 'agent-1', 'Hello, this is Sam from support.');
    // Replying to a queued conversation takes it.
    expect(replied).toMatchObject({ status: 'assigned', assigneeId: 'agent-1' });
    await expect.poll(() => pushed.filter((p) => p.type === 'message').map((p) => p.seq)).toContain(replied.seqs.at(-1));

    const relayed = await client.say('thanks, my parcel is late');
    expect(relayed.messages).toEqual([]);
    const transcript = (await client.history()).messages.slice(-2);
    expect(transcript.map((m) => m.author)).toEqual(['agent', 'customer']);
    expect(await repo.projection(conversationId)).toMatchObject({ status: 'assigned', assigneeId: 'agent-1', waitingSince: expect.any(String) });
    close();
  });

  test('a refused action stores nothing: no assignment while the bot holds it, no reply into a conversation another agent holds', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('hello');
    const conversationId = (await client.history()).conversationId!;
    const before = await repo.loadEvents(conversationId);
    await expect(service.agentActions.assign(conversationId, 'agent-1')).rejects.toMatchObject({ code: 'SB_ERR_CONFLICT' });
    expect(await repo.loadEvents(conversationId)).toEqual(before);

    const queued = await handedOff();
    await service.agentActions.assign(queued.conversationId, 'agent-1');
    const held = await repo.loadEvents(queued.conversationId);
    await expect(service.agentActions.agentSay(queued.conversationId, 'agent-2', 'I will take this')).rejects.toMatchObject({ code: 'SB_ERR_CONFLICT' });
    await expect(service.agentActions.agentSay(queued.conversationId, 'agent-1', '   ')).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION' });
    expect(await repo.loadEvents(queued.conversationId)).toEqual(held);
  });

  test("once an agent resolves the conversation, the customer's next message opens a new one that the bot answers", async () => {
    const { client, conversationId } = await handedOff();
    await service.agentActions.assign(conversationId, 'agent-1');
    expect(await service.agentActions.resolve(conversationId, 'agent-1')).toMatchObject({ status: 'resolved' });
    expect(await repo.projection(conversationId)).toMatchObject({ status: 'resolved', waitingSince: null });

    const next = await client.say('hello again');
    expect(next.messages.length).toBeGreaterThan(0);
    const reopened = (await client.history()).conversationId!;
    expect(reopened).not.toBe(conversationId);
    expect(await repo.projection(reopened)).toMatchObject({ status: 'bot', replyTo: { channel: 'webchat' } });
  });
});
