import { describe, expect, test } from 'vitest';
import { DEMO_FIXTURES as ADA } from '../../db/shop/demo.js';
import { sharedHarness, type ConversationHarness } from '../../test/conversation.js';
import { endings, FLOW_OPENINGS, openFlow } from '../../test/flow-openings.js';

/**
 * Every flow × every global command (docs/dialogue.md, step 3), on the text-only channel where
 * there are no buttons to fall back on: the command works at the flow's first question, the bot
 * says what happened, the outcome records it, and nothing else happens.
 */
describe('the ways out of every flow (embedded, text channel)', () => {
  const harness = sharedHarness();

  async function atFirstQuestion(row: (typeof FLOW_OPENINGS)[number]) {
    const c = await harness().conversation({ channel: 'text' });
    await openFlow(c, row);
    return c;
  }

  test.each(FLOW_OPENINGS)('"cancel" stops the $name flow, says nothing was changed and shows the menu', async (row) => {
    const c = await atFirstQuestion(row);
    const reply = await c.send('cancel').expectReply(/I've stopped that\. Nothing was changed\./);
    expect(reply.text).toMatch(/What would you like to do\?/);
    expect(reply.text).not.toMatch(row.question);
    const outcome = await c.outcome();
    expect(endings(outcome.flows, row)).toEqual(['abandoned']);
    expect(outcome.handoff).toBeNull();
    expect(outcome.status).toBe('bot');
  });

  test.each(FLOW_OPENINGS)('"start over" in the $name flow starts it again from its first question', async (row) => {
    const c = await atFirstQuestion(row);
    const reply = await c.send('start over').expectReply(row.restarted);
    const outcome = await c.outcome();
    if (row.flow === 'knowledge') {
      // Nothing to ask again: the answer is closed and the menu shown, no "I'm not sure" fallback.
      expect(reply.text).not.toMatch(/not sure I have a good answer/);
      expect(endings(outcome.flows, row)).toEqual(['abandoned']);
    } else {
      expect(reply.text).toMatch(new RegExp(`start ${row.label} again from the top`));
      expect(endings(outcome.flows, row)).toEqual(['abandoned', 'open']);
    }
    expect(outcome.handoff).toBeNull();
  });

  test.each(FLOW_OPENINGS)('"go back" at the first question of the $name flow says so and asks it again', async (row) => {
    const c = await atFirstQuestion(row);
    const reply = await c.send('go back').expectReply(/That was the first question, so here it is again\./);
    expect(reply.text).toMatch(row.question);
    expect(endings((await c.outcome()).flows, row)).toEqual(['open']);
  });

  test.each(FLOW_OPENINGS)('"menu" in the $name flow offers to continue it first, and continuing asks its question again', async (row) => {
    const c = await atFirstQuestion(row);
    const menu = await c.send('menu').expectReply(new RegExp(`1\\. Continue ${row.label}`));
    expect(menu.text).toMatch(/Talk to a person/);
    expect(endings((await c.outcome()).flows, row)).toEqual(['open']);
    await c.choose(new RegExp(`Continue ${row.label}`)).expectReply(row.question);
  });

  test.each(FLOW_OPENINGS)('"talk to a human" in the $name flow hands off and records the flow as abandoned', async (row) => {
    const c = await atFirstQuestion(row);
    const reply = await c.send('talk to a human').expectReply(/connecting you with a member of our support team/);
    expect(reply.text).not.toMatch(row.question);
    const outcome = await c.expectHandedOff(/customer_asked/);
    expect(endings(outcome.flows, row)).toEqual(['abandoned']);
    expect(outcome.status).toBe('queued');
  });

  describe('while waiting for a person ("cancel" and "start over" leave the queue: bots/waiting-room.test.ts)', () => {
    test.each([
      ['talk to a human', /already in the queue for our support team/],
      ['menu', /waiting for a person from our support team/],
      ['go back', /waiting for a person from our support team/],
    ])('"%s" keeps the customer in the queue, says so, and hands off only once', async (text, answer) => {
      const c = await harness().conversation({ channel: 'text' });
      await c.send('talk to a person').expectReply(/in the queue/);
      const reply = await c.send(text).expectReply(answer);
      expect(reply.text).toMatch(/say "cancel" to leave the queue/);
      expect(reply.text).not.toMatch(/connecting you|What would you like to do/);
      const outcome = await c.outcome();
      expect(outcome.status).toBe('queued');
      expect(outcome.flows.filter((f) => f.flow === 'handoff')).toHaveLength(1);
    });
  });

  describe('at a confirmation that would change an order, a command changes nothing', () => {
    async function orderStatus(h: ConversationHarness): Promise<string> {
      const row = await h.service.database.db.selectFrom('orders').select('status').where('number', '=', ADA.cancellableOrder).executeTakeFirstOrThrow();
      return row.status;
    }

    /** Verified and asked "Shall I cancel the whole order?" (1. Yes, cancel it 2. No, keep it). */
    async function atCancelConfirmation() {
      const c = await harness().conversation({ channel: 'text' });
      await c.send(`I want to cancel my order ${ADA.cancellableOrder}`).expectReply(/6-digit code/);
      await c.typeCode(ADA.email).expectReply(/Shall I cancel the whole order\?/);
      return c;
    }

    test.each(['cancel', 'never mind', 'stop'])('"%s" at "Shall I cancel the whole order?" keeps the order, not a yes', async (text) => {
      const c = await atCancelConfirmation();
      const reply = await c.send(text).expectReply(/Nothing was changed/);
      expect(reply.text).not.toMatch(/is cancelled/);
      expect(await orderStatus(harness())).toBe('placed');
      expect((await c.outcome()).flows.map((f) => f.ending)).toEqual(['abandoned']);
    });

    test('"talk to a human" there hands off and the order stays as it was', async () => {
      const c = await atCancelConfirmation();
      await c.send('talk to a human').expectReply(/member of our support team/);
      await c.expectHandedOff(/customer_asked/);
      expect(await orderStatus(harness())).toBe('placed');
    });

    test('"go back" there asks for the order again, and the order stays as it was', async () => {
      const c = await atCancelConfirmation();
      const reply = await c.send('go back');
      expect(reply.text).not.toMatch(/is cancelled/);
      expect(await orderStatus(harness())).toBe('placed');
      expect((await c.outcome()).flows.map((f) => f.ending)).toEqual(['open']);
    });
  });
});
