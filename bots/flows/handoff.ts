import { Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';

/** Hands the conversation to a person, with what was tried recorded in the event log. */
export class HandoffFlow implements Flow {
  readonly name = 'handoff';

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    const complaint = ctx.nlu.intent === 'complaint';
    const tried = ctx.state.attempts.at(-1)?.flow;
    if (starting) reply.start();
    reply
      .say(
        `I'm connecting you with a member of our support team. They'll see our conversation so far, so you won't need to repeat yourself.`,
      )
      .expect(null)
      .end('handed_off')
      .handoff(complaint ? 'complaint' : 'customer_asked', `${complaint ? 'complained' : 'asked for a person'}${tried !== undefined ? ` after ${tried}` : ''}`);
    return Promise.resolve(reply.decision());
  }
}
