import type { DialogueDeps } from '../dialogue/deps.js';
import type { FlowContext } from '../flow.js';
import { CLARIFY_MARGIN, flowOf } from './confidence.js';

/**
 * "warranty status for order 100235": how-things-work questions name no order (the knowledge
 * answer refuses one too), so a message naming one that reads as an information question by a
 * small margin is the task close behind it in the ranking, done for that order.
 */
export function aboutTheirOrder(ctx: FlowContext, deps: Pick<DialogueDeps, 'actions' | 'flows'>): FlowContext {
  if (ctx.message.payload !== undefined || flowOf(deps.actions, ctx.nlu) !== 'knowledge') return ctx;
  if (!ctx.nlu.entities.some((e) => e.type === 'order_number')) return ctx;
  const top = ctx.nlu.ranking[0]?.confidence ?? 0;
  const task = ctx.nlu.ranking.find((s) => {
    const action = deps.actions.get(s.intent);
    return s.confidence >= top - CLARIFY_MARGIN && action?.humanOnly !== true && action?.flow !== undefined && action.flow !== 'knowledge' && deps.flows.has(action.flow);
  });
  return task === undefined ? ctx : { ...ctx, nlu: { ...ctx.nlu, intent: task.intent, confidence: task.confidence } };
}
