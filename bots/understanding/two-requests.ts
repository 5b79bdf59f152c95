import type { NluResult } from '../../core/nlu.js';
import type { Classify, DialogueDeps } from '../dialogue/deps.js';
import type { FlowContext } from '../flow.js';
import { soundsLikeQuestion, soundsLikeRequest, splitRequests } from './clauses.js';
import { flowOf } from './confidence.js';
import { detectCommand } from './global-command.js';

/**
 * Two requests in one message: the one that does something first, and either a question
 * answered beside it or a second task queued behind it (offered when the first ends).
 */
export type TwoRequests =
  | { kind: 'question'; primary: FlowContext; question: FlowContext }
  | { kind: 'queued'; primary: FlowContext; queued: { flow: string; text: string } }
  /** Only one part asks for something; the other told what happened. */
  | { kind: 'one'; primary: FlowContext };

/** A yes or no, then something else: "yes. when do I get my money back?", "no thanks, how long is the warranty?". */
const YES_NO_LEAD = /^\s*((?:yes|yeah|yep|yup|sure|ok(?:ay)?|no|nope|nah)(?: please| thanks| thank you)?)\s*[.,!;:]+\s*(\S.{3,})$/i;

/**
 * "cancel 100235 and tell me the return policy": a question asked beside a request is
 * answered in the same turn instead of being dropped. Only a confident pair of different
 * intents, one of them a question the knowledge base answers, is split.
 */
export async function twoRequests(ctx: FlowContext, deps: Pick<DialogueDeps, 'actions' | 'flows' | 'classify'>): Promise<TwoRequests | null> {
  const { classify } = deps;
  if (classify === undefined || ctx.message.payload !== undefined || detectCommand(ctx.message.text) !== null) return null;
  const answered = await answerThenQuestion(ctx, classify);
  if (answered !== null) return answered;
  const parts = splitRequests(ctx.message.text);
  if (parts === null) return null;
  const parsed = await Promise.all(parts.map((text) => classify(text, ctx)));
  const kinds = parsed.map((p) => flowOf(deps.actions, p));
  if (kinds[0] === null || kinds[1] === null || kinds[0] === kinds[1]) return null;
  const part = (i: number, entities: NluResult['entities']): FlowContext => ({ ...ctx, message: { ...ctx.message, text: parts[i]! }, nlu: { ...parsed[i]!, entities } });
  const questionAt = kinds.indexOf('knowledge');
  if (questionAt < 0) {
    // Two tasks ("cancel 100235 and where is 100234"): the first now, the second queued behind it.
    if (kinds.includes('handoff') || deps.flows.get(kinds[1]!) === undefined || !soundsLikeRequest(parts[1]!)) return null;
    // "the buds are faulty, left one doesn't charge. I want to return them": the first part
    // only tells what happened (and "charge" made it a payment on its own): it is no task. The
    // request is the second part's, about everything the message says (its words and entities).
    if (!soundsLikeRequest(parts[0]!)) return { kind: 'one', primary: { ...ctx, nlu: { ...parsed[1]!, entities: ctx.nlu.entities, sentiment: ctx.nlu.sentiment } } };
    return { kind: 'queued', primary: part(0, parsed[0]!.entities), queued: { flow: kinds[1]!, text: parts[1]! } };
  }
  if (kinds.lastIndexOf('knowledge') !== questionAt) return null;
  const primaryAt = 1 - questionAt;
  // The whole message's entities for the request: "100235" may sit in either part.
  return { kind: 'question', primary: part(primaryAt, ctx.nlu.entities), question: part(questionAt, parsed[questionAt]!.entities) };
}

/**
 * "yes. when do I get my money back?": the answer to the flow's yes/no question, then a
 * question of its own. The flow gets its "yes"; the question is answered beside it.
 */
async function answerThenQuestion(ctx: FlowContext, classify: Classify): Promise<TwoRequests | null> {
  if (ctx.state.activeFlow === null) return null;
  const lead = YES_NO_LEAD.exec(ctx.message.text);
  const [, answer, question] = lead ?? [];
  if (answer === undefined || question === undefined || !soundsLikeQuestion(question)) return null;
  const [answerNlu, questionNlu] = await Promise.all([classify(answer, ctx), classify(question, ctx)]);
  if (answerNlu.intent !== 'affirm' && answerNlu.intent !== 'deny') return null;
  return {
    kind: 'question',
    primary: { ...ctx, message: { ...ctx.message, text: answer }, nlu: answerNlu },
    question: { ...ctx, message: { ...ctx.message, text: question }, nlu: questionNlu },
  };
}
