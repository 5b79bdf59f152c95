import { describe, expect, test } from 'vitest';
import type { NluEngine, NluResult } from '../core/nlu.js';
import { evaluateHeldOut, flowIntents } from './heldOut.js';
import type { IntentFile } from './schema.js';

const intent = (name: string, extra: Partial<IntentFile> = {}): IntentFile => ({ name, description: '', locale: 'en', phrases: [], entities: [], humanOnly: false, ...extra });
const INTENTS: IntentFile[] = [
  intent('order_status', { flow: 'order_status' }),
  intent('info_returns', { flow: 'knowledge' }),
  intent('greeting', { responses: ['Hi!'] }),
  intent('affirm'),
  intent('oos'),
];

/** An engine that answers from a table: text → intent, or null (out of scope). */
function tableEngine(answers: Record<string, string | null>): NluEngine {
  return {
    parse: async (text): Promise<NluResult> => {
      const intent = answers[text] ?? null;
      return {
        text,
        locale: 'en',
        intent,
        confidence: 0.9,
        ranking: [{ intent: intent ?? 'oos', confidence: 0.9 }],
        outOfScope: intent === null ? { reason: 'oos_class' } : null,
        entities: [],
        sentiment: { score: 0, frustration: 0 },
        provider: 'local',
      };
    },
  };
}

describe('held-out evaluation', () => {
  test('only intents that start a flow are false starts', () => {
    expect([...flowIntents(INTENTS)].sort()).toEqual(['info_returns', 'order_status']);
  });

  test('counts accuracy, rejection and false starts from the deployed decisions', async () => {
    const engine = tableEngine({ 'where is it': 'order_status', 'return policy': 'order_status', hello: 'greeting', 'weather?': null, 'hi robot': 'greeting', 'amazon order': 'order_status', blorp: null, 'my mum': 'affirm' });
    const report = await evaluateHeldOut(engine, INTENTS, {
      inDomain: [
        { text: 'where is it', intent: 'order_status', source: 'o.yaml:3' },
        { text: 'return policy', intent: 'info_returns', source: 'r.yaml:3' },
        { text: 'hello', intent: 'greeting', source: 'g.yaml:3' },
        { text: 'unknown to the engine', intent: 'order_status', source: 'o.yaml:4' },
      ],
      negatives: [
        { text: 'weather?', intent: 'oos', source: 'n.yaml:3' },
        { text: 'hi robot', intent: 'oos', source: 'n.yaml:4' },
        { text: 'amazon order', intent: 'oos', source: 'm.yaml:3' },
        { text: 'blorp', intent: 'oos', source: 'm.yaml:4' },
        { text: 'my mum', intent: 'oos', source: 'm.yaml:5' },
      ],
    });
    expect(report).toMatchObject({ inDomain: 4, negatives: 5, accuracy: 0.5, inDomainRejected: 0.25, rejectionRate: 0.4, falseStartRate: 0.2 });
    // Small talk taken for a greeting or a yes is not rejected, but it starts nothing.
    expect(report.falseStarts).toEqual([{ text: 'amazon order', predicted: 'order_status', confidence: 0.9, source: 'm.yaml:3' }]);
    expect(report.negativeGroups).toEqual([
      { file: 'm.yaml', messages: 3, rejected: 1, falseStarts: 1 },
      { file: 'n.yaml', messages: 2, rejected: 1, falseStarts: 0 },
    ]);
    expect(report.reasons).toEqual({ oos_class: { negatives: 2, inDomain: 1 } });
    const orderStatus = report.perIntent.find((s) => s.intent === 'order_status')!;
    // 1 right of 3 predicted (two wrong: a policy question and a negative); 1 found of 2.
    expect(orderStatus).toMatchObject({ precision: 0.3333, recall: 0.5, support: 2 });
    expect(report.confusions).toContainEqual({ expected: 'oos', predicted: 'greeting', count: 1, examples: ['hi robot'] });
    expect(report.perIntent.some((s) => s.intent === 'oos')).toBe(true);
  });
});
