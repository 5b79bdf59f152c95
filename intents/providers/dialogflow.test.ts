import { SessionsClient } from '@google-cloud/dialogflow';
import express from 'express';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { createNluEngine } from '../engine.js';
import { DEMO_CATALOGUE } from '../demoCatalogue.js';
import { loadIntentFiles } from '../load.js';
import type { IntentFile } from '../schema.js';

/**
 * A loopback stand-in for Dialogflow ES: the real SessionsClient in REST fallback mode posts
 * `/v2/projects/{p}/agent/sessions/{s}:detectIntent` here instead of to Google.
 */
interface Seen {
  path: string;
  authorization: string | undefined;
  body: { queryInput?: { text?: { text?: string; languageCode?: string } } };
}
const seen: Seen[] = [];
let server: Server;
let port: number;

const ANSWERS: Record<string, { displayName: string; confidence: number; isFallback?: boolean }> = {
  'has 100234 shipped yet': { displayName: 'order_status', confidence: 0.87 },
  'tell me a joke': { displayName: 'Default Fallback Intent', confidence: 1, isFallback: true },
  'what about the rebate': { displayName: 'rebates', confidence: 0.66 },
};

beforeAll(async () => {
  const app = express();
  app.use(express.json());
  app.post(/^\/v2\/projects\/([^/]+)\/agent\/sessions\/([^/:]+):detectIntent$/, (req, res) => {
    const body = req.body as Seen['body'];
    seen.push({ path: req.path, authorization: req.headers.authorization, body });
    const text = body.queryInput?.text?.text ?? '';
    const answer = ANSWERS[text];
    res.json({
      responseId: 'r-1',
      queryResult: {
        queryText: text,
        languageCode: body.queryInput?.text?.languageCode,
        intentDetectionConfidence: answer?.confidence ?? 0,
        ...(answer ? { intent: { name: `projects/p/agent/intents/${answer.displayName}`, displayName: answer.displayName, isFallback: answer.isFallback ?? false } } : {}),
        parameters: {},
      },
    });
  });
  await new Promise<void>((resolve) => {
    server = app.listen(0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** Credentials that never reach Google: a fixed bearer token on every request. */
const fakeAuth = {
  getRequestHeaders: () => Promise.resolve(new Headers({ authorization: 'Bearer test-token' })),
  fetch: (url: string | URL, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', 'Bearer test-token');
    return fetch(url, { ...init, headers });
  },
};

let intents: IntentFile[];
async function engine() {
  intents ??= await loadIntentFiles();
  const client = new SessionsClient({ fallback: true, apiEndpoint: '127.0.0.1', port, protocol: 'http', authClient: fakeAuth } as ConstructorParameters<typeof SessionsClient>[0]);
  return createNluEngine(
    { NLU_PROVIDER: 'dialogflow', DIALOGFLOW_PROJECT_ID: 'voltline-test', ORDER_NUMBER_PATTERN: '\\d{6}', LLM_BASE_URL: undefined, LLM_MODEL: undefined, LLM_API_KEY: undefined },
    { intents, catalogue: [...DEMO_CATALOGUE], dialogflowClient: client },
  );
}

describe('Dialogflow ES provider (real client against a loopback stand-in)', () => {
  test('the intent and confidence come from Dialogflow; entities and sentiment from the local pipeline', async () => {
    const result = await (await engine()).parse('has 100234 shipped yet');
    expect(result).toMatchObject({ provider: 'dialogflow', intent: 'order_status', confidence: 0.87, outOfScope: null, ranking: [{ intent: 'order_status', confidence: 0.87 }] });
    expect(result.entities).toEqual([expect.objectContaining({ type: 'order_number', value: '100234' })]);
    const request = seen.at(-1)!;
    expect(request.path).toMatch(/^\/v2\/projects\/voltline-test\/agent\/sessions\/[0-9a-f-]{36}:detectIntent$/);
    expect(request.authorization).toBe('Bearer test-token');
    expect(request.body.queryInput?.text).toEqual({ text: 'has 100234 shipped yet', languageCode: 'en' });
  });

  test('Dialogflow\'s fallback intent is out of scope with reason "provider", its score kept', async () => {
    const result = await (await engine()).parse('tell me a joke');
    expect(result).toMatchObject({ intent: null, confidence: 1, outOfScope: { reason: 'provider' } });
  });

  test('an intent the bot does not know is out of scope, not guessed', async () => {
    const result = await (await engine()).parse('what about the rebate');
    expect(result).toMatchObject({ intent: null, outOfScope: { reason: 'provider' }, ranking: [{ intent: 'rebates', confidence: 0.66 }] });
  });

  test('NLU_PROVIDER=dialogflow without a project id is a start-up error naming the variable', async () => {
    await expect(
      createNluEngine({ NLU_PROVIDER: 'dialogflow', DIALOGFLOW_PROJECT_ID: undefined, ORDER_NUMBER_PATTERN: '\\d{6}', LLM_BASE_URL: undefined, LLM_MODEL: undefined, LLM_API_KEY: undefined }, { intents: intents ?? (await loadIntentFiles()), catalogue: [] }),
    ).rejects.toMatchObject({ code: 'SB_ERR_CONFIG', details: [{ path: 'DIALOGFLOW_PROJECT_ID' }] });
  });
});
