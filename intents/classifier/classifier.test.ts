import { describe, expect, test } from 'vitest';
import { SwitchboardError } from '../../core/errors.js';
import { loadClassifier, OOS_LABEL, trainClassifier, type TrainingExample } from './index.js';

const PHRASES: Record<string, string[]> = {
  order_status: [
    'where is my order', 'track my package', 'when will my order arrive', 'has my order shipped yet',
    'what is the status of my order', 'my parcel has not arrived', 'tracking number for my delivery',
    'is my package on its way', 'order status please', 'when does my shipment get here',
    'i want to know where my order is', 'check the delivery status of my purchase',
  ],
  reset_password: [
    'i forgot my password', 'reset my password', 'i cannot log in to my account', 'change my login password',
    'my password does not work', 'locked out of my account', 'how do i recover my password',
    'password reset link', 'help me sign in, i lost my password', 'the login says wrong password',
    'i need a new password', 'can not access my account anymore',
  ],
  refund: [
    'i want my money back', 'refund my purchase', 'when will i get my refund', 'how long do refunds take',
    'i was not refunded yet', 'request a refund for this item', 'give me a refund', 'refund status',
    'i returned the item, where is my money', 'can i get reimbursed', 'money back please',
    'has my refund been processed',
  ],
  greeting: [
    'hello', 'hi there', 'good morning', 'hey', 'hello, anyone there?', 'hi', 'good evening',
    'hey there, how are you', 'greetings', 'good afternoon', 'howdy', 'hiya',
  ],
};
const OUT_OF_SCOPE = [
  'what is the weather tomorrow', 'tell me a joke', 'who won the football game', 'play some music',
  'what is the capital of france', 'how tall is mount everest', 'recommend a good movie',
  'what time is it in tokyo', 'sing me a song', 'how do i bake bread', 'what is two plus two',
  'who is the president',
];

const examples: TrainingExample[] = Object.entries(PHRASES).flatMap(([intent, texts]) => texts.map((text) => ({ text, intent })));
const withOos: TrainingExample[] = [...examples, ...OUT_OF_SCOPE.map((text) => ({ text, intent: OOS_LABEL }))];
const model = trainClassifier(examples);
const modelWithOos = trainClassifier(withOos);

describe('local intent classifier', () => {
  test.each([
    ['where is my package', 'order_status'],
    ['I forgot my password and cannot log in', 'reset_password'],
    ['Where is my refund?', 'refund'],
    ['Hello!', 'greeting'],
  ])('ranks the right intent first for a training-like message: %s', (text, intent) => {
    expect(model.rank(text)[0]?.intent).toBe(intent);
  });

  test.each([
    ['my delivery hasnt shown up, where is it', 'order_status'],
    ["I can't remember my login password", 'reset_password'],
    ['I would like to be reimbursed for the item i sent back', 'refund'],
  ])('classifies a held-out paraphrase correctly: %s', (text, intent) => {
    const decision = model.decide(model.rank(text));
    expect(decision.intent).toBe(intent);
    expect(decision.outOfScope).toBeNull();
  });

  test('lists only in-scope intents, sorted', () => {
    expect(model.intents).toEqual(['greeting', 'order_status', 'refund', 'reset_password']);
    expect(modelWithOos.intents).not.toContain(OOS_LABEL);
  });

  test('returns the whole ranking, best first, with confidences in [0,1] summing to at most 1', () => {
    const ranking = modelWithOos.rank('when will my order arrive');
    expect(ranking.map((r) => r.intent).sort()).toEqual([...model.intents, OOS_LABEL].sort());
    for (let i = 1; i < ranking.length; i++) expect(ranking[i - 1]!.confidence).toBeGreaterThanOrEqual(ranking[i]!.confidence);
    for (const r of ranking) {
      expect(r.confidence).toBeGreaterThanOrEqual(0);
      expect(r.confidence).toBeLessThanOrEqual(1);
    }
    expect(ranking.reduce((s, r) => s + r.confidence, 0)).toBeLessThanOrEqual(1 + 1e-9);
  });

  test('is more confident on a clear message than on a vague one', () => {
    const clear = model.rank('reset my password')[0]!.confidence;
    const vague = model.rank('something about my thing')[0]!.confidence;
    expect(clear).toBeGreaterThan(vague);
  });

  test('flags a message as out of scope through the trained oos class, keeping its score', () => {
    const ranking = modelWithOos.rank('tell me a joke about the weather');
    expect(ranking[0]?.intent).toBe(OOS_LABEL);
    const decision = modelWithOos.decide(ranking);
    expect(decision).toEqual({ intent: null, confidence: ranking[0]!.confidence, outOfScope: 'oos_class' });
  });

  test('rejects a low-confidence top intent as low_confidence without rewriting the score', () => {
    const ranking = [
      { intent: 'refund', confidence: 0.01 },
      { intent: 'greeting', confidence: 0.005 },
    ];
    const decision = model.decide(ranking);
    expect(decision).toEqual({ intent: null, confidence: 0.01, outOfScope: 'low_confidence' });
    expect(ranking[0]!.confidence).toBe(0.01);
  });

  test('rejects two near-equal top intents as ambiguous', () => {
    const decision = model.decide([
      { intent: 'refund', confidence: 0.49 },
      { intent: 'order_status', confidence: 0.4899 },
    ]);
    expect(decision).toEqual({ intent: null, confidence: 0.49, outOfScope: 'ambiguous' });
  });

  test('accepts a clear top intent with its confidence', () => {
    const decision = model.decide([
      { intent: 'refund', confidence: 0.97 },
      { intent: 'order_status', confidence: 0.01 },
    ]);
    expect(decision).toEqual({ intent: 'refund', confidence: 0.97, outOfScope: null });
  });

  test('trains deterministically: the same examples give the same model and rankings', () => {
    const again = trainClassifier(examples);
    expect(again.toJSON()).toEqual(model.toJSON());
    expect(again.rank('where is my money')).toEqual(model.rank('where is my money'));
  });

  test('learns its thresholds from every held-out slice when asked, deterministically, with the same weights', () => {
    const sliced = trainClassifier(withOos, { policyFolds: 5, rejectBudget: 0.03 });
    const again = trainClassifier(withOos, { policyFolds: 5, rejectBudget: 0.03 });
    expect(again.toJSON()).toEqual(sliced.toJSON());
    const { policy, ...rest } = sliced.toJSON() as { policy: unknown };
    const { policy: defaultPolicy, ...defaultRest } = modelWithOos.toJSON() as { policy: unknown };
    expect(rest).toEqual(defaultRest);
    expect(policy).toEqual(expect.objectContaining({ minConfidence: expect.any(Number), minMargin: expect.any(Number) }));
    expect(trainClassifier(withOos, { policyFolds: 1 }).toJSON()).toEqual({ ...defaultRest, policy: defaultPolicy });
  });

  test('refuses to train on no examples or an example without an intent', () => {
    expect(() => trainClassifier([])).toThrow(SwitchboardError);
    expect(() => trainClassifier([{ text: 'hi', intent: '' }])).toThrow(/Training example 0/);
  });
});

describe('serialized classifier', () => {
  test('round-trips through JSON and ranks exactly as before', () => {
    const restored = loadClassifier(JSON.parse(JSON.stringify(modelWithOos.toJSON())));
    expect(restored.intents).toEqual(modelWithOos.intents);
    for (const text of ['where is my order', 'hi', 'what is the weather', 'refund please']) {
      expect(restored.rank(text)).toEqual(modelWithOos.rank(text));
      expect(restored.decide(restored.rank(text))).toEqual(modelWithOos.decide(modelWithOos.rank(text)));
    }
  });

  const valid = (): Record<string, unknown> => JSON.parse(JSON.stringify(model.toJSON())) as Record<string, unknown>;

  test.each([
    ['not an object', () => 'model', '(root)'],
    ['a missing field', () => ({ ...valid(), labels: undefined }), 'labels'],
    ['weights of the wrong length', () => ({ ...valid(), weight: 'AAAA' }), 'weight'],
    ['a column naming no label', () => {
      const v = valid();
      const columns = Buffer.from(v.column as string, 'base64');
      columns.writeUInt16LE(999, 0);
      return { ...v, column: columns.toString('base64') };
    }, 'column[0]'],
    ['an unknown version', () => ({ ...valid(), version: 99 }), 'version'],
  ])('rejects %s with SB_ERR_INTENTS naming the field', (_name, make, path) => {
    let error: unknown;
    try {
      loadClassifier(make());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SwitchboardError);
    const sb = error as SwitchboardError;
    expect(sb.code).toBe('SB_ERR_INTENTS');
    expect(sb.details.map((d) => d.path)).toContain(path);
  });
});
