import type { DialogueCopy } from '../copy/dialogue.js';
import { Reply, type FlowContext, type TurnDecision } from '../flow.js';
import { foldEvents } from '../state.js';
import type { DialogueParts } from './deps.js';
import { menu } from './menu.js';
import { QUEUED_TEXT, QueuedRequest, takeUp } from './queued-request.js';

/** Payload prefixes of the resume offer's buttons: take the set-aside flow up again, or drop it. */
export const RESUME = 'resume';
export const DROP = 'resume-drop';

/** After any decision: a set-aside flow is offered again once nothing else is running. */
export function withResumeOffer(copy: DialogueCopy, ctx: FlowContext, decision: TurnDecision): TurnDecision {
  if (decision.handoff !== null) return decision;
  const after = foldEvents(decision.events, ctx.state);
  const endedNow = decision.events.some((e) => e.type === 'flow_ended');
  const waiting = after.suspended.at(-1);
  if (after.activeFlow !== null || waiting === undefined || !endedNow) return decision;
  decision.replies.push(resumeOffer(copy, waiting.flow, waiting.slots[QUEUED_TEXT] !== undefined));
  return decision;
}

export function resumeOffer(copy: DialogueCopy, flow: string, queued = false): TurnDecision['replies'][number] {
  const label = copy.flowLabel(flow);
  return {
    kind: 'choice',
    text: queued ? copy.queuedOffer(label) : copy.resumeOffer(label),
    options: [
      { label: copy.resumeYes, value: `${RESUME}:${flow}` },
      { label: copy.resumeNo, value: `${DROP}:${flow}` },
    ],
  };
}

export async function resume(parts: DialogueParts, ctx: FlowContext, flow: string): Promise<TurnDecision> {
  const { copy } = parts;
  const reply = new Reply(ctx, null);
  const frame = ctx.state.activeFlow === flow ? ctx.state : ctx.state.suspended.find((f) => f.flow === flow);
  if (frame === undefined) return menu(copy, reply, copy.menuIntro).decision();
  if (ctx.state.activeFlow !== flow) {
    if (ctx.state.activeFlow !== null) reply.events.push({ at: ctx.now.toISOString(), type: 'flow_suspended', flow: ctx.state.activeFlow });
    reply.events.push({ at: ctx.now.toISOString(), type: 'flow_resumed', flow });
  }
  const queuedText = QueuedRequest.get(frame, QUEUED_TEXT);
  if (queuedText !== null && frame.prompt === null) {
    const decision = reply.decision();
    decision.replies.push(...(await takeUp(parts.deps, ctx, flow, queuedText, decision.events)));
    return decision;
  }
  if (frame.prompt === null) return menu(copy, reply, copy.menuIntro).decision();
  return reply.say(copy.backTo(copy.flowLabel(flow))).send(frame.prompt).decision();
}

export function drop(copy: DialogueCopy, ctx: FlowContext, flow: string): TurnDecision {
  const reply = new Reply(ctx, null);
  if (ctx.state.suspended.some((f) => f.flow === flow)) reply.events.push({ at: ctx.now.toISOString(), type: 'flow_ended', flow, outcome: 'abandoned' });
  return menu(copy, reply, copy.droppedFlow).decision();
}
