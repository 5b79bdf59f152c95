import { beforeAll, describe, expect, test } from 'vitest';
import { DEMO_CATALOGUE } from './demoCatalogue.js';
import { createLocalNlu, loadIntentFiles, type IntentFile, type RetrainableNlu } from './index.js';

let intents: IntentFile[];
let nlu: RetrainableNlu;
beforeAll(async () => {
  intents = await loadIntentFiles();
  nlu = createLocalNlu({ intents, orderNumberPattern: '\\d{6}', catalogue: [...DEMO_CATALOGUE], now: () => new Date('2025-03-12T10:00:00Z') });
});

describe('the local NLU understands typical shop messages', () => {
  test('"has 100234 shipped yet" asks for the order status of order 100234', async () => {
    const result = await nlu.parse('has 100234 shipped yet');
    expect(result).toMatchObject({ intent: 'order_status', outOfScope: null, provider: 'local', locale: 'en' });
    expect(result.entities).toEqual([expect.objectContaining({ type: 'order_number', value: '100234', raw: '100234', start: 4, end: 10 })]);
  });

  test('"my camera is offline again!!!" is an offline device and sounds frustrated', async () => {
    const result = await nlu.parse('my camera is offline again!!!');
    expect(result.intent).toBe('troubleshoot_device_offline');
    expect(result.entities).toContainEqual(expect.objectContaining({ type: 'device', value: 'camera' }));
    expect(result.sentiment.frustration).toBeGreaterThan((await nlu.parse('my camera is offline')).sentiment.frustration);
  });

  test.each([
    ['I was charged twice for 654321', 'payment_double_charge'],
    ['i forgot my password', 'password_reset'],
    ['my voltline buds anc wont pair with my phone', 'troubleshoot_pairing'],
    ['i want to talk to a real person', 'human_agent'],
    ['hello there', 'greeting'],
    ['where is my refund for the returned speaker', 'refund_status'],
  ])('"%s" → %s', async (text, intent) => {
    expect((await nlu.parse(text)).intent).toBe(intent);
  });

  test.each([
    ['who pays return shipping', 'info_returns'],
    ['is there a restocking fee', 'info_returns'],
    ['I want to return my headphones', 'return_request'],
    ['what does the warranty cover', 'info_warranty'],
    ['my speaker broke after 8 months, can you repair it', 'warranty'],
    ['do you ship internationally', 'info_shipping'],
    ['where is my order 100234', 'order_status'],
    ['can i pay with klarna', 'info_payment'],
    ['my card was declined', 'payment_declined'],
    ['what are your opening hours', 'info_store'],
  ])('a question about policy answers from the knowledge base, a request acts: "%s" → %s', async (text, intent) => {
    expect((await nlu.parse(text)).intent).toBe(intent);
  });

  test('an off-topic message is out of scope with a reason, and its ranking is kept', async () => {
    const result = await nlu.parse('what is the weather going to be like in paris tomorrow');
    expect(result.intent).toBeNull();
    expect(result.outOfScope?.reason).toMatch(/oos_class|low_confidence|ambiguous/);
    expect(result.ranking.length).toBeGreaterThan(20);
    expect(result.confidence).toBe(result.ranking[0]!.confidence);
  });

  test('the ranking is whole, best first, and confidences are never rewritten to 1', async () => {
    const result = await nlu.parse('cancel my order 482913');
    const names = new Set(result.ranking.map((s) => s.intent));
    for (const intent of intents) expect(names.has(intent.name), intent.name).toBe(true);
    for (let i = 1; i < result.ranking.length; i++) expect(result.ranking[i - 1]!.confidence).toBeGreaterThanOrEqual(result.ranking[i]!.confidence);
    expect(result.ranking.reduce((sum, s) => sum + s.confidence, 0)).toBeLessThanOrEqual(1.000001);
  });

  test('when the bot asked for an order number, a spaced number is taken', async () => {
    const result = await nlu.parse('it is 100 234', { expecting: 'order_number' });
    expect(result.entities.map((e) => e.value)).toEqual(['100234']);
  });

  test('retraining after an edit changes what the bot understands', async () => {
    const edited = intents.map((i) => (i.name === 'product_question' ? { ...i, phrases: [...i.phrases, 'does the zorblax gizmo glow', 'is the zorblax gizmo in stock', 'zorblax gizmo colors', 'how big is the zorblax gizmo'] } : i));
    const retrained = createLocalNlu({ intents, orderNumberPattern: '\\d{6}', catalogue: [] });
    const before = (await retrained.parse('tell me about the zorblax gizmo')).ranking.find((s) => s.intent === 'product_question')!.confidence;
    retrained.retrain(edited);
    const after = await retrained.parse('tell me about the zorblax gizmo');
    expect(after.ranking.find((s) => s.intent === 'product_question')!.confidence).toBeGreaterThan(before);
    expect(after.ranking[0]!.intent).toBe('product_question');
  });
});
