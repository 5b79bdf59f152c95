import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { z } from 'zod';
import { SwitchboardError } from '../../core/errors.js';
import type { IntentScore } from '../../core/nlu.js';
import { OOS_LABEL } from '../classifier/index.js';
import type { IntentFile } from '../schema.js';
import type { IntentRanker } from '../pipeline/steps.js';

/** What the model must answer. Plain JSON works with every chat model, tool calling or not. */
export const LlmAnswerSchema = z.object({
  intent: z.string(),
  confidence: z.number().min(0).max(1).default(0.5),
  alternatives: z.array(z.object({ intent: z.string(), confidence: z.number().min(0).max(1) })).default([]),
});

export interface LlmRankerOptions {
  model: BaseChatModel;
  intents: readonly IntentFile[];
  /** Example phrases shown per intent in the prompt. */
  examplesPerIntent?: number;
}

function systemPrompt(intents: readonly IntentFile[], examples: number): string {
  const lines = intents
    .filter((i) => i.name !== OOS_LABEL)
    .map((i) => `- ${i.name}: ${i.description}${examples > 0 ? ` e.g. ${i.phrases.slice(0, examples).map((p) => JSON.stringify(p)).join(', ')}` : ''}`);
  return [
    'You classify one customer message for an electronics shop\'s support bot.',
    'Choose exactly one intent from this closed list, or "oos" when none fits:',
    ...lines,
    'Answer with JSON only: {"intent": "<name>", "confidence": <0..1>, "alternatives": [{"intent": "<name>", "confidence": <0..1>}]}',
  ].join('\n');
}

/** The first {...} in the reply: models wrap JSON in prose or code fences. */
function parseAnswer(content: string): z.infer<typeof LlmAnswerSchema> | null {
  const start = content.indexOf('{');
  const end = content.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const parsed = LlmAnswerSchema.safeParse(JSON.parse(content.slice(start, end + 1)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * An LLM through langchain as a ranker. The model may only pick from the closed list; "oos" is the
 * out-of-scope class, and any other label or an unreadable answer is out of scope ('provider').
 */
export function llmRanker(options: LlmRankerOptions): IntentRanker {
  const known = new Set(options.intents.map((i) => i.name).filter((n) => n !== OOS_LABEL));
  const system = new SystemMessage(systemPrompt(options.intents, options.examplesPerIntent ?? 3));
  return {
    provider: 'llm',
    async rank(text) {
      let content: string;
      try {
        const reply = await options.model.invoke([system, new HumanMessage(text)]);
        content = typeof reply.content === 'string' ? reply.content : reply.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
      } catch (error) {
        throw new SwitchboardError('SB_ERR_UNAVAILABLE', 'The LLM classifier failed', [{ path: 'llm.invoke', message: error instanceof Error ? error.message : String(error) }], { cause: error });
      }
      const answer = parseAnswer(content);
      if (answer === null) return { ranking: [], verdict: { intent: null, confidence: 0, outOfScope: 'provider' } };
      const seen = new Set<string>();
      const ranking: IntentScore[] = [];
      for (const s of [{ intent: answer.intent, confidence: answer.confidence }, ...answer.alternatives]) {
        if ((known.has(s.intent) || s.intent === OOS_LABEL) && !seen.has(s.intent)) {
          seen.add(s.intent);
          ranking.push(s);
        }
      }
      ranking.sort((a, b) => b.confidence - a.confidence);
      if (answer.intent === OOS_LABEL) return { ranking, verdict: { intent: null, confidence: answer.confidence, outOfScope: 'oos_class' } };
      if (!known.has(answer.intent)) return { ranking, verdict: { intent: null, confidence: answer.confidence, outOfScope: 'provider' } };
      return { ranking, verdict: { intent: answer.intent, confidence: answer.confidence, outOfScope: null } };
    },
  };
}
