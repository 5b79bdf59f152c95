import { Embeddings } from '@langchain/core/embeddings';
import { FakeListChatModel } from '@langchain/core/utils/testing';
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { beforeAll, describe, expect, test } from 'vitest';
import type { Config } from '../../core/config.js';
import { createNluEngine } from '../engine.js';
import { createLocalNlu } from '../local.js';
import { loadIntentFiles } from '../load.js';
import type { IntentFile } from '../schema.js';

let intents: IntentFile[];
beforeAll(async () => {
  intents = await loadIntentFiles();
});

type NluConfig = Pick<Config, 'NLU_PROVIDER' | 'ORDER_NUMBER_PATTERN' | 'DIALOGFLOW_PROJECT_ID' | 'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY'>;
const llmConfig = (extra: Partial<NluConfig> = {}): NluConfig => ({
  NLU_PROVIDER: 'llm', ORDER_NUMBER_PATTERN: '\\d{6}', DIALOGFLOW_PROJECT_ID: undefined, LLM_BASE_URL: undefined, LLM_MODEL: undefined, LLM_API_KEY: undefined, ...extra,
});

async function llmEngine(responses: string[]) {
  return createNluEngine(llmConfig(), { intents, catalogue: [], chatModel: new FakeListChatModel({ responses }) });
}

describe('LLM classifier through langchain', () => {
  test('an intent from the closed list, with its alternatives, becomes the ranking', async () => {
    const engine = await llmEngine(['```json\n{"intent": "refund_status", "confidence": 0.9, "alternatives": [{"intent": "return_request", "confidence": 0.07}]}\n```']);
    const result = await engine.parse('where is my money for the returned buds, order 482913');
    expect(result).toMatchObject({ provider: 'llm', intent: 'refund_status', confidence: 0.9, outOfScope: null });
    expect(result.ranking).toEqual([{ intent: 'refund_status', confidence: 0.9 }, { intent: 'return_request', confidence: 0.07 }]);
    expect(result.entities.map((e) => e.value)).toContain('482913');
  });

  test('"oos" is the out-of-scope class', async () => {
    const result = await (await llmEngine(['{"intent": "oos", "confidence": 0.95}'])).parse('tell me a joke');
    expect(result).toMatchObject({ intent: null, confidence: 0.95, outOfScope: { reason: 'oos_class' } });
  });

  test('a label outside the closed list is out of scope ("provider") and never enters the ranking', async () => {
    const result = await (await llmEngine(['{"intent": "book_flight", "confidence": 0.8}'])).parse('book me a flight');
    expect(result).toMatchObject({ intent: null, outOfScope: { reason: 'provider' }, ranking: [] });
  });

  test('an unreadable answer is out of scope ("provider")', async () => {
    const result = await (await llmEngine(['I think the customer wants a refund.'])).parse('hmm');
    expect(result).toMatchObject({ intent: null, confidence: 0, outOfScope: { reason: 'provider' } });
  });

  test('NLU_PROVIDER=llm without a model endpoint is a start-up error naming the variable', async () => {
    await expect(createNluEngine(llmConfig(), { intents, catalogue: [] })).rejects.toMatchObject({ code: 'SB_ERR_CONFIG', details: [{ path: 'LLM_BASE_URL' }] });
  });

  test('with LLM_BASE_URL/LLM_MODEL the OpenAI-compatible chat model is called (loopback stand-in)', async () => {
    const requests: Array<{ model: string; auth: string | undefined; messages: Array<{ role: string; content: string }> }> = [];
    const app = express();
    app.use(express.json());
    app.post('/v1/chat/completions', (req, res) => {
      const body = req.body as { model: string; messages: Array<{ role: string; content: string }> };
      requests.push({ model: body.model, auth: req.headers.authorization, messages: body.messages });
      res.json({
        id: 'c1', object: 'chat.completion', created: 0, model: body.model,
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: '{"intent": "password_reset", "confidence": 0.8}' } }],
        usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
      });
    });
    const server: Server = await new Promise((resolve) => {
      const s = app.listen(0, '127.0.0.1', () => resolve(s));
    });
    try {
      const port = (server.address() as AddressInfo).port;
      const engine = await createNluEngine(llmConfig({ LLM_BASE_URL: `http://127.0.0.1:${port}/v1`, LLM_MODEL: 'tiny-test', LLM_API_KEY: 'sk-test' }), { intents, catalogue: [] });
      const result = await engine.parse('forgot my pw');
      expect(result).toMatchObject({ provider: 'llm', intent: 'password_reset', confidence: 0.8 });
      expect(requests).toHaveLength(1);
      expect(requests[0]).toMatchObject({ model: 'tiny-test', auth: 'Bearer sk-test' });
      expect(requests[0]!.messages[0]!.content).toContain('- password_reset:');
      expect(requests[0]!.messages.at(-1)).toEqual({ role: 'user', content: 'forgot my pw' });
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

/** Deterministic bag-of-words embeddings: texts that share words point the same way. */
class WordEmbeddings extends Embeddings {
  constructor(private readonly dims = 64) {
    super({});
  }
  private vector(text: string): number[] {
    const v = new Array<number>(this.dims).fill(0);
    for (const word of text.toLowerCase().match(/[a-z]+/g) ?? []) {
      let h = 0;
      for (const c of word) h = (h * 31 + c.charCodeAt(0)) >>> 0;
      v[h % this.dims]! += 1;
    }
    return v;
  }
  embedDocuments(texts: string[]): Promise<number[][]> {
    return Promise.resolve(texts.map((t) => this.vector(t)));
  }
  embedQuery(text: string): Promise<number[]> {
    return Promise.resolve(this.vector(text));
  }
}

describe('sentence embeddings fused into the local ranking', () => {
  test('a kNN over the training phrases shifts the ranking toward the nearest phrases, summing to at most 1', async () => {
    const plain = createLocalNlu({ intents, orderNumberPattern: '\\d{6}', catalogue: [] });
    const fused = createLocalNlu({ intents, orderNumberPattern: '\\d{6}', catalogue: [], embeddings: new WordEmbeddings(), knnWeight: 0.5 });
    const text = 'the firmware update is stuck';
    const a = await plain.parse(text);
    const b = await fused.parse(text);
    const score = (r: typeof a, intent: string): number => r.ranking.find((s) => s.intent === intent)!.confidence;
    expect(b.ranking[0]!.intent).toBe('troubleshoot_firmware');
    // fused = 0.5 × classifier + 0.5 × kNN, and the kNN share (which sums to 1) went to the nearest phrases' intents.
    const knnShare = (intent: string): number => (score(b, intent) - 0.5 * score(a, intent)) / 0.5;
    const nearest = [...a.ranking].sort((x, y) => knnShare(y.intent) - knnShare(x.intent))[0]!.intent;
    expect(nearest).toBe('troubleshoot_firmware');
    expect(a.ranking.reduce((sum, s) => sum + knnShare(s.intent), 0)).toBeCloseTo(1, 6);
    for (const s of a.ranking) expect(knnShare(s.intent)).toBeGreaterThanOrEqual(-1e-9);
    expect(b.ranking.reduce((s, x) => s + x.confidence, 0)).toBeLessThanOrEqual(1.000001);
    expect(b.ranking).toHaveLength(a.ranking.length);
  });
});
