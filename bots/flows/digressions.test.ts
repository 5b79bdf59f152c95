import { describe, expect, test } from 'vitest';
import { sharedHarness } from '../../test/conversation.js';
import { endings, FLOW_OPENINGS, openFlow, type FlowOpening } from '../../test/flow-openings.js';

/**
 * One digression per flow (docs/dialogue.md, step 5), on the text-only channel: mid-flow, a
 * question the knowledge base answers is answered in passing and the flow's question asked again;
 * a different task runs on top and, once it ends, the bot offers to get back to the first one.
 */
describe('digressions in every flow (embedded, text channel)', () => {
  const harness = sharedHarness();

  /** A different task that ends in one turn: a declined card, or for the payment flow a locked account. */
  const otherTask = (row: FlowOpening) =>
    row.flow === 'payment'
      ? { text: "I'm locked out of my account", flow: 'account', answer: /account is locked for 15 minutes/ }
      : { text: 'my card was declined', flow: 'payment', answer: /declined payment is almost always decided by your bank/ };

  async function atFirstQuestion(row: FlowOpening) {
    const c = await harness().conversation({ channel: 'text' });
    await openFlow(c, row);
    return c;
  }

  // A question asked at a knowledge answer's "Was this helpful?" is a new answer, not a digression.
  const TASKS = FLOW_OPENINGS.filter((row) => row.flow !== 'knowledge');

  test.each(TASKS)('a policy question in the $name flow is answered, then "Back to …" and its question again', async (row) => {
    const c = await atFirstQuestion(row);
    const reply = await c.send('who pays for return shipping?').expectReply(/Return shipping is free in the US/);
    expect(reply.text).toMatch(new RegExp(`Back to ${row.label}:\\n[^]*${row.question.source}`));
    // Answered in passing: no feedback question over the flow's own, and the flow keeps its place.
    expect(reply.text).not.toMatch(/Was this helpful|doesn't look like one of our order numbers/);
    const outcome = await c.outcome();
    expect(endings(outcome.flows, row)).toEqual(['open']);
    expect(outcome.flows.find((f) => f.flow === 'knowledge')?.ending).toBe('resolved');
  });

  test.each(TASKS)('another task in the $name flow runs on top, and afterwards the bot offers to get back to it', async (row) => {
    const c = await atFirstQuestion(row);
    const task = otherTask(row);
    const aside = await c.send(task.text).expectReply(task.answer);
    expect(aside.text).toMatch(new RegExp(`Shall we get back to ${row.label}\\?`));
    expect(aside.text).not.toMatch(/doesn't look like one of our order numbers|not a valid email/i);
    const back = await c.choose(/Yes, continue/).expectReply(new RegExp(`Back to ${row.label}:`));
    expect(back.text).toMatch(row.question);
    const outcome = await c.outcome();
    expect(endings(outcome.flows, row)).toEqual(['open']);
    expect(outcome.flows.find((f) => f.flow === task.flow)?.ending).toBe('resolved');
    expect(outcome.handoff).toBeNull();
  });

  test('another task at a knowledge answer\'s "Was this helpful?" closes the answer as resolved, not offered back', async () => {
    const row = FLOW_OPENINGS.find((r) => r.flow === 'knowledge')!;
    const c = await atFirstQuestion(row);
    const task = otherTask(row);
    const aside = await c.send(task.text).expectReply(task.answer);
    // Offering it back would only ask "Was this helpful?" again.
    expect(aside.text).not.toMatch(/Shall we get back to your question\?|Continue your question/);
    const outcome = await c.outcome();
    expect(endings(outcome.flows, row)).toEqual(['resolved']);
    expect(outcome.flows.find((f) => f.flow === task.flow)?.ending).toBe('resolved');
    expect(outcome.handoff).toBeNull();
    // Nothing is left set aside: the next message is not answered with a resume offer.
    await c.send('thanks').expectNoReplyLike(/get back to your question|Was this helpful/);
  });

  test.each(TASKS)('declining to get back to the $name flow sets it aside as abandoned', async (row) => {
    const c = await atFirstQuestion(row);
    await c.send(otherTask(row).text).expectReply(new RegExp(`Shall we get back to ${row.label}\\?`));
    const reply = await c.choose(/No, thanks/).expectReply(/set that aside/);
    expect(reply.text).not.toMatch(row.question);
    expect(endings((await c.outcome()).flows, row)).toEqual(['abandoned']);
  });
});
