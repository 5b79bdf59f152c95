import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ChatClient, textOf, type SendResult } from '../../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../../test/service.js';

describe.each(DEPLOYMENTS)('knowledge-base answers over web chat (%s)', (deployment) => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService(deployment);
  });
  afterAll(async () => {
    await service.dispose();
  });

  const card = (result: SendResult) => result.messages.map((m) => m.message).find((m) => m.kind === 'card');
  const options = (result: SendResult) => result.messages.flatMap((m) => (m.message.kind === 'choice' ? m.message.options : []));
  const feedbackRows = (conversationId: string) =>
    service.database.db.selectFrom('kb_feedback').select(['article_id', 'helpful']).where('conversation_id', '=', conversationId).execute();

  test('a policy question gets the returns article: title, quoted passage, link and "Was this helpful?"; "Yes" is stored for that article', async () => {
    const client = await new ChatClient(service.url).start();
    const answer = await client.say('how long do I have to return headphones?');
    expect(card(answer)).toMatchObject({
      kind: 'card',
      title: 'Return policy and return windows',
      text: expect.stringMatching(/“.*30 days.*”/s),
      link: { url: `${service.url}/help/return-policy` },
    });
    expect(textOf(answer)).toMatch(/Was this helpful\?/);
    expect(options(answer).map((o) => o.value)).toEqual(['feedback:return-policy:yes', 'feedback:return-policy:no']);

    const { conversationId } = await client.history();
    expect(await feedbackRows(conversationId!)).toEqual([]);
    const thanks = await client.say('Yes', { payload: 'feedback:return-policy:yes' });
    expect(textOf(thanks)).toMatch(/Glad that helped/);
    expect(await feedbackRows(conversationId!)).toEqual([{ article_id: 'return-policy', helpful: true }]);
  });

  test('"No" is stored too and offers to ask another way or talk to a person', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('does the Voltline Cam 360 work with alexa');
    const { conversationId } = await client.history();
    const articleId = (await client.history()).messages
      .flatMap((m) => (m.message.kind === 'choice' ? m.message.options : []))
      .map((o) => /^feedback:(.+):no$/.exec(o.value)?.[1])
      .find((id) => id !== undefined);
    expect(articleId).toBe('set-up-camera');
    const sorry = await client.say('No', { payload: `feedback:${articleId}:no` });
    expect(options(sorry).map((o) => o.value)).toEqual(['kb:rephrase', 'intent:human_agent']);
    expect(await feedbackRows(conversationId!)).toEqual([{ article_id: 'set-up-camera', helpful: false }]);
  });

  test('feedback naming an article that does not exist is not stored', async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('how long do I have to return headphones?');
    const { conversationId } = await client.history();
    await client.say('Yes', { payload: 'feedback:not-an-article:yes' });
    expect(await feedbackRows(conversationId!)).toEqual([]);
  });

  test('a question no intent covers is answered from the knowledge base when retrieval is confident', async () => {
    const client = await new ChatClient(service.url).start();
    const answer = await client.say('what is the restocking fee on a laptop?');
    expect(card(answer)).toMatchObject({ title: expect.stringMatching(/restocking fee/i), link: { url: `${service.url}/help/restocking-fee` } });
    expect(textOf(answer)).toMatch(/15%/);
    expect(textOf(answer)).not.toMatch(/didn't quite get that/);
  });

  test('a question about how refunds work is answered, with checking the refund one press away, and no order number asked', async () => {
    const client = await new ChatClient(service.url).start();
    const answer = await client.say('how long until my refund shows up on my debit card');
    expect(card(answer)).toMatchObject({ link: { url: `${service.url}/help/refund-timelines` } });
    expect(textOf(answer)).toMatch(/5–10 business days/);
    expect(textOf(answer)).not.toMatch(/order number/i);
    expect(options(answer).map((o) => o.value)).toEqual(['feedback:refund-timelines:yes', 'feedback:refund-timelines:no', 'intent:refund_status']);
  });

  test('whether a kind of damage is covered is answered from the warranty article, with no order number asked', async () => {
    const client = await new ChatClient(service.url).start();
    const answer = await client.say('I dropped my laptop and the screen cracked, is that covered?');
    expect(card(answer)).toMatchObject({ link: { url: `${service.url}/help/warranty-coverage` } });
    expect(textOf(answer)).toMatch(/Accidental damage/);
    expect(textOf(answer)).not.toMatch(/order number|6-digit code/i);
  });

  test('two questions in one message are both answered, each from its own article', async () => {
    const client = await new ChatClient(service.url).start();
    const answer = await client.say('do you ship to canada and is there a restocking fee?');
    const cards = answer.messages.map((m) => m.message).filter((m) => m.kind === 'card');
    expect(cards.map((c) => c.link?.url)).toEqual([`${service.url}/help/international-shipping-and-customs`, `${service.url}/help/restocking-fee`]);
    expect(textOf(answer)).toMatch(/Canada/);
    expect(textOf(answer)).toMatch(/15%/);
  });

  test('an unrelated question gets no guessed article, only the usual fallback', async () => {
    const client = await new ChatClient(service.url).start();
    const answer = await client.say('who won the game last night');
    expect(card(answer)).toBeUndefined();
    expect(options(answer).some((o) => o.value.startsWith('feedback:'))).toBe(false);
    expect(textOf(answer)).toMatch(/didn't quite get that/);
  });
});
