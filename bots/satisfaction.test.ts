import { describe, expect, test } from 'vitest';
import type { ConversationEvent } from '../core/conversation.js';
import { sharedHarness, type HarnessConversation } from '../test/conversation.js';

/** The CSAT survey after a person resolved the conversation, on web chat and a text-only channel. */
describe('the satisfaction survey (embedded)', () => {
  const harness = sharedHarness();

  /** A customer helped by a person who then resolved the conversation. */
  async function resolvedByAgent(channel: 'webchat' | 'text'): Promise<HarnessConversation> {
    const c = await harness().conversation({ channel });
    await c.send('talk to a person').expectReply(/connecting you/i);
    const id = c.id!;
    const actions = harness().service.agentActions;
    await actions.claim(id, 'agent-1');
    await actions.agentSay(id, 'agent-1', 'Hi, your parcel is on its way.');
    await actions.resolveWithDisposition(id, 'agent-1', 'solved');
    return c;
  }

  const said = (events: ConversationEvent[]) => events.flatMap((e) => (e.type === 'said' && e.author === 'bot' ? [e.message] : []));

  test.each(['webchat', 'text'] as const)('resolving asks the rating once, on the customer\'s channel; a typed score and a comment are recorded (%s)', async (channel) => {
    const c = await resolvedByAgent(channel);
    const events = await c.events();
    expect(events.filter((e) => e.type === 'csat_requested')).toHaveLength(1);
    expect(said(events).at(-1)).toMatchObject({ kind: 'choice', text: expect.stringMatching(/rate the help/) });

    await c.send('4 stars').expectReply(/anything you would like to add/i);
    await c.send('quick and friendly, thanks').expectReply(/feedback has been passed on/);
    const after = await c.events();
    expect(after.find((e) => e.type === 'csat_rated')).toMatchObject({ score: 4 });
    expect(after.find((e) => e.type === 'csat_commented')).toMatchObject({ comment: 'quick and friendly, thanks' });
    // Nothing reopened: the survey's answers belong to the resolved conversation.
    await c.expectStatus('resolved');
  });

  test('a low score asks what could be better; "no, that\'s all" closes the survey', async () => {
    const c = await resolvedByAgent('webchat');
    await c.press('2 - Poor').expectReply(/What could we have done better/);
    await c.press("No, that's all").expectReply(/feedback has been passed on/);
    const events = await c.events();
    expect(events.find((e) => e.type === 'csat_rated')).toMatchObject({ score: 2 });
    expect(events.find((e) => e.type === 'csat_commented')).toMatchObject({ comment: null });
  });

  test('a new request instead of a rating opens a new conversation and the bot answers it', async () => {
    const c = await resolvedByAgent('text');
    const resolvedId = c.id;
    await c.send('where is my order').expectReply(/order number|email/i);
    expect(c.id).not.toBe(resolvedId);
  });

  test('a new request instead of a comment is not swallowed as one', async () => {
    const c = await resolvedByAgent('text');
    const resolvedId = c.id;
    await c.send('5').expectReply(/anything you would like to add/i);
    await c.send('actually i want to return my earbuds').expectNoReplyLike(/feedback has been passed on/);
    expect(c.id).not.toBe(resolvedId);
  });

  test('the rating is asked only once, even when the conversation is resolved again', async () => {
    const c = await resolvedByAgent('webchat');
    await c.send('5').expectReply(/anything you would like to add/i);
    // A second rating is not another answer to the survey: it opens a new conversation.
    const resolvedId = c.id;
    await c.send("No, that's all");
    await c.send('5');
    expect(c.id).not.toBe(resolvedId);
    const first = await harness().conversations.loadEvents(resolvedId!);
    expect(first.filter((e) => e.event.type === 'csat_rated')).toHaveLength(1);
  });
});
