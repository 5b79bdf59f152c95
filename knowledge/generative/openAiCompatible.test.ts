import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createGenerativeAnswerer } from './openAiCompatible.js';

const PUBLIC_URL = 'http://127.0.0.1:3000';
const passages = [{ articleId: 'return-policy', title: 'Return policy', url: `${PUBLIC_URL}/help/return-policy`, text: 'Returns within 30 days of delivery.' }];

/** A scripted OpenAI-compatible endpoint on loopback: answers /chat/completions with `nextReply`. */
let server: http.Server;
let baseUrl: string;
let nextReply: { status: number; content: string } = { status: 200, content: '' };
const requests: Array<{ path: string; body: { model?: string; messages?: Array<{ role: string; content: string }> } }> = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString('utf8')));
    req.on('end', () => {
      requests.push({ path: req.url ?? '', body: JSON.parse(raw || '{}') as (typeof requests)[number]['body'] });
      res.writeHead(nextReply.status, { 'content-type': 'application/json' });
      res.end(
        nextReply.status === 200
          ? JSON.stringify({
              id: 'chatcmpl-1',
              object: 'chat.completion',
              created: 1,
              model: 'stand-in',
              choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant', content: nextReply.content } }],
              usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
            })
          : JSON.stringify({ error: { message: 'overloaded', type: 'server_error' } }),
      );
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

function configured() {
  return createGenerativeAnswerer(
    { LLM_BASE_URL: baseUrl, LLM_MODEL: 'stand-in', LLM_API_KEY: undefined, ORDER_NUMBER_PATTERN: '\\d{6}' },
    { publicUrl: () => PUBLIC_URL, shopName: 'Voltline', timeoutMs: 2_000 },
  );
}

describe('generative answers from an OpenAI-compatible endpoint', () => {
  test('off unless both LLM_BASE_URL and LLM_MODEL are set', () => {
    const off = { LLM_API_KEY: undefined, ORDER_NUMBER_PATTERN: '\\d{6}' };
    const options = { publicUrl: () => PUBLIC_URL, shopName: 'Voltline' };
    expect(createGenerativeAnswerer({ ...off, LLM_BASE_URL: undefined, LLM_MODEL: undefined }, options)).toBeNull();
    expect(createGenerativeAnswerer({ ...off, LLM_BASE_URL: baseUrl, LLM_MODEL: undefined }, options)).toBeNull();
  });

  test('sends the grounding prompt to /chat/completions and returns the checked answer', async () => {
    nextReply = { status: 200, content: JSON.stringify({ answer: 'Returns are accepted within 30 days of delivery.', citations: ['return-policy'] }) };
    const answer = await configured()?.answer('can I return order 100234?', passages);
    expect(answer).toEqual({ text: 'Returns are accepted within 30 days of delivery.', citedArticleIds: ['return-policy'] });
    const last = requests[requests.length - 1];
    expect(last?.path).toBe('/v1/chat/completions');
    expect(last?.body.model).toBe('stand-in');
    expect(last?.body.messages?.map((m) => m.role)).toEqual(['system', 'user']);
    expect(JSON.stringify(last?.body)).not.toContain('100234');
  });

  test('a failing endpoint gives no answer, once, without retries', async () => {
    nextReply = { status: 500, content: '' };
    const before = requests.length;
    expect(await configured()?.answer('returns?', passages)).toBeNull();
    expect(requests.length - before).toBe(1);
  });
});
