import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, outboxCount, textOf } from '../../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

interface OutboxEntry {
  recipient: string;
  subject: string;
  body: string;
}

describe.each(DEPLOYMENTS)('account access over web chat (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment);
  });
  afterAll(async () => {
    await service.dispose();
  });

  const outbox = async (): Promise<OutboxEntry[]> =>
    ((await (await fetch(`${service.url}/dev/outbox.json`)).json()) as { messages: OutboxEntry[] }).messages;

  async function askForReset(email: string): Promise<string> {
    const client = await new ChatClient(service.url).start();
    const ask = await client.say('I forgot my password');
    expect(textOf(ask)).toMatch(/email address of your Voltline account/);
    return textOf(await client.say(email));
  }

  test('a reset link goes to an existing account, and an unknown address gets the identical reply with nothing sent', async () => {
    const before = await outboxCount(service.url);
    const known = await askForReset('ada@example.com');
    expect(known).toMatch(/If an account exists for that address, we've sent a reset link/);
    const sent = await outbox();
    expect(sent).toHaveLength(before + 1);
    const mail = sent.find((m) => m.subject.includes('Reset your Voltline password'))!;
    expect(mail.recipient).toBe('ada@example.com');
    const token = new RegExp(`${service.url}/account/reset\\?token=([A-Za-z0-9_-]{43})`).exec(mail.body)?.[1];
    expect(token).toBeDefined();

    const unknown = await askForReset('nobody@example.com');
    expect(unknown).toBe(known);
    expect(await outboxCount(service.url)).toBe(before + 1);
    expect((await outbox()).some((m) => m.recipient === 'nobody@example.com')).toBe(false);
  });

  test('each reset link is new, and after three an hour the address gets no more while the reply stays the same', async () => {
    const resets = async () => (await outbox()).filter((m) => m.recipient === 'grace@example.com' && m.subject.includes('Reset'));
    const replies = new Set<string>();
    for (let i = 0; i < 4; i += 1) replies.add(await askForReset('grace@example.com'));
    expect(replies.size).toBe(1);
    const sent = await resets();
    expect(sent).toHaveLength(3);
    expect(new Set(sent.map((m) => m.body)).size).toBe(3);
  });

  test('a locked-out customer gets guidance, the article and a person, and is never asked for a password', async () => {
    const answer = await (await new ChatClient(service.url).start()).say('my account is locked');
    const text = textOf(answer);
    expect(text).toMatch(/locked for 15 minutes/);
    expect(text).toMatch(/\/help\/two-step-verification-and-locked-account/);
    expect(text).toMatch(/Talk to a person/);
    expect(text).not.toMatch(/your password\?|type your password/i);
  });
});
