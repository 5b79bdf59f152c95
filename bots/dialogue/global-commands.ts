import type { ChoiceOption } from '../../core/message.js';
import { Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { foldEvents } from '../state.js';
import type { GlobalCommand } from '../understanding/global-command.js';
import type { DialogueParts } from './deps.js';
import { menu } from './menu.js';
import { QUEUED_TEXT } from './queued-request.js';
import { RESUME, resumeOffer } from './resume.js';
import { withoutFrame } from './set-aside.js';

/** Cancel, start over, back, menu or a person: understood the same in every state. */
export async function runCommand(parts: DialogueParts, ctx: FlowContext, command: GlobalCommand, active: Flow | undefined): Promise<TurnDecision> {
  const { copy } = parts;
  const at = ctx.now.toISOString();
  const reply = new Reply(ctx, null);
  const end = (flow: string) => reply.events.push({ at, type: 'flow_ended', flow, outcome: 'abandoned' });
  switch (command) {
    case 'cancel': {
      if (active === undefined) {
        const waiting = ctx.state.suspended.at(-1);
        if (waiting !== undefined) end(waiting.flow);
        return menu(copy, reply.say(waiting !== undefined ? copy.cancelled : copy.nothingToCancel), null).decision();
      }
      end(active.name);
      reply.say(copy.cancelled);
      const waiting = ctx.state.suspended.at(-1);
      return (waiting !== undefined ? reply.send(resumeOffer(copy, waiting.flow, waiting.slots[QUEUED_TEXT] !== undefined)) : menu(copy, reply, null)).decision();
    }
    case 'start_over': {
      if (active !== undefined) end(active.name);
      for (const frame of [...ctx.state.suspended].reverse()) end(frame.flow);
      // A knowledge answer has no first question to ask again (its question was the customer's words): the menu.
      if (active === undefined || active.name === 'handoff' || active.name === 'knowledge') return menu(copy, reply, copy.startOver).decision();
      // Inside a task, "start over" means that task again from its first question (who the
      // customer is stays verified; what they answered is forgotten), not the menu.
      // "start over" names no task itself: the flow is told which one it was started for.
      const intent = active.restartIntent?.(ctx.state) ?? null;
      const message = intent === null ? ctx.message : { ...ctx.message, payload: `intent:${intent}` };
      const restarted = await active.handle({ ...ctx, message, state: foldEvents(reply.events, ctx.state) }, true);
      return { ...restarted, events: [...reply.events, ...restarted.events], replies: [{ kind: 'text', text: copy.startOverFlow(copy.flowLabel(active.name)) }, ...restarted.replies] };
    }
    case 'back': {
      if (active === undefined) return menu(copy, reply, copy.menuIntro).decision();
      const previous = ctx.state.history.filter((m) => m.step !== ctx.state.step).at(-1);
      if (previous === undefined || previous.prompt === null) {
        reply.say(copy.firstQuestion);
        return (ctx.state.prompt !== null ? reply.send(ctx.state.prompt) : reply).decision();
      }
      reply.events.push({ at, type: 'flow_back', flow: active.name });
      return reply.say(copy.goingBack).send(previous.prompt).decision();
    }
    case 'menu': {
      if (active === undefined) return menu(copy, reply, copy.menuIntro).decision();
      reply.events.push({ at, type: 'flow_suspended', flow: active.name });
      const resume: ChoiceOption = { label: copy.continueFlow(copy.flowLabel(active.name)), value: `${RESUME}:${active.name}` };
      return reply.choose(copy.menuIntro, [resume, ...copy.mainMenu]).decision();
    }
    case 'human': {
      const handoff = parts.deps.flows.get('handoff');
      if (handoff === undefined) return menu(copy, reply, copy.menuIntro).decision();
      const decision = await handoff.handle(active === undefined ? ctx : withoutFrame(ctx, active), true);
      if (active !== undefined) decision.events.unshift({ at, type: 'flow_ended', flow: active.name, outcome: 'abandoned' });
      return decision;
    }
    default: {
      const unknown: never = command;
      return unknown;
    }
  }
}
