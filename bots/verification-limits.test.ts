import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { loadConfig } from '../core/config.js';
import { createLogger } from '../server/logger.js';
import { startService, type RunningService } from '../server/service.js';
import { ChatProbe, codesSentTo, wrongCode, type ProbeAnswer } from '../test/chat-probe.js';
import { DEPLOYMENTS, restartTestService, startTestService, type TestService } from '../test/service.js';

/** The product defaults, set explicitly: the shared test env raises the per-IP and per-customer budgets. */
const LIMITS = { OTP_MAX_ATTEMPTS: 5, OTP_MAX_ATTEMPTS_PER_IP: 20, OTP_SENDS_PER_HOUR: 5 } as const;
const ENV = {
  TRUST_PROXY: 'loopback',
  OTP_MAX_ATTEMPTS: String(LIMITS.OTP_MAX_ATTEMPTS),
  OTP_MAX_ATTEMPTS_PER_IP: String(LIMITS.OTP_MAX_ATTEMPTS_PER_IP),
  OTP_SENDS_PER_HOUR: String(LIMITS.OTP_SENDS_PER_HOUR),
  WEBCHAT_SESSIONS_PER_HOUR: '1000',
};
const CODE_PROMPT = /6-digit code/;
const PAUSED = /verification is paused for \d+ minutes?/;
/** Order numbers are the only thing that differs between two claims' replies. */
const normalise = (text: string) => text.replace(/\b\d{6}\b/g, 'N');

describe.each(DEPLOYMENTS)('verification budgets (%s)', (deployment) => {
  let service: TestService;
  /** Orders of customers no other test here touches: a lockout holds for the customer too. */
  let targets: Array<{ order: string; email: string }>;
  let nextAddress = 10;
  /** Each test speaks from its own client address, so per-IP budgets don't leak between tests. */
  const address = () => `203.0.113.${(nextAddress += 1)}`;

  beforeAll(async () => {
    service = await startTestService(deployment, ENV);
    const rows = await service.database.db
      .selectFrom('orders as o')
      .innerJoin('customers as c', 'c.id', 'o.customer_id')
      .select(['o.number as order', 'c.email as email', 'c.id as customerId'])
      .where('c.id', 'not in', ['C1001', 'C1002'])
      .orderBy('o.number')
      .execute();
    const seen = new Set<string>();
    targets = rows.filter((r) => !seen.has(r.customerId) && seen.add(r.customerId)).map((r) => ({ order: r.order, email: r.email }));
  });
  afterAll(async () => {
    await service.dispose();
  });

  const target = () => {
    const next = targets.shift();
    if (next === undefined) throw new Error('out of demo customers');
    return next;
  };
  const chat = (ip: string) => new ChatProbe(service.url, ip).start();

  /** Claims `order` in a fresh session, then sends wrong codes until verification is paused (at most `max`). */
  async function guessUntilPaused(ip: string, order: string, email: string | null, max = 10): Promise<{ claim: ProbeAnswer; guesses: ProbeAnswer[] }> {
    const client = await chat(ip);
    const claim = await client.say(`where is my order ${order}?`);
    const guesses: ProbeAnswer[] = [];
    const known = email === null ? [] : await codesSentTo(service.url, email);
    for (let i = 0; i < max; i += 1) {
      const answer = await client.say(wrongCode(known));
      guesses.push(answer);
      if (answer.status !== 200 || PAUSED.test(answer.text)) break;
    }
    return { claim, guesses };
  }

  test('40 rotating sessions from one address get at most the allowed guesses at one order, and the right code afterwards reveals nothing', async () => {
    const { order, email } = target();
    const victim = await chat(address());
    expect((await victim.say(`where is order ${order}?`)).text).toMatch(CODE_PROMPT);
    const victimCode = (await codesSentTo(service.url, email))[0]!;

    const attacker = address();
    let evaluated = 0;
    for (let i = 0; i < 40; i += 1) {
      const session = await chat(attacker);
      const claim = await session.say(`where is my order ${order}?`);
      expect(claim.status).toBe(200);
      if (!CODE_PROMPT.test(claim.text)) {
        expect(claim.text).toMatch(PAUSED);
        continue;
      }
      const guess = await session.say(wrongCode(await codesSentTo(service.url, email)));
      if (guess.status === 200) evaluated += 1;
    }
    expect(evaluated).toBeLessThanOrEqual(LIMITS.OTP_MAX_ATTEMPTS);
    expect((await codesSentTo(service.url, email)).length).toBeLessThanOrEqual(LIMITS.OTP_SENDS_PER_HOUR);

    const correct = await victim.say(victimCode);
    expect(correct.status).toBe(429);
    expect(correct.error?.code).toBe('SB_ERR_RATE_LIMITED');
    const transcript = await victim.transcript();
    expect(transcript).toMatch(PAUSED);
    expect(transcript).not.toMatch(/you are verified|Order \d{6}:|Estimated delivery|Delivered|Shipped/i);
  });

  test('a known and an unknown order get the same replies and the same number of guesses before the pause', async () => {
    const known = target();
    const runs = [await guessUntilPaused(address(), known.order, known.email), await guessUntilPaused(address(), '199991', null)];
    const [asKnown, asUnknown] = runs.map((run) => [run.claim, ...run.guesses].map((a) => ({ status: a.status, text: normalise(a.text) })));
    expect(asKnown).toEqual(asUnknown);
    // The claim itself costs no attempt: both allow exactly OTP_MAX_ATTEMPTS wrong codes.
    expect(runs.map((r) => r.guesses.length)).toEqual([LIMITS.OTP_MAX_ATTEMPTS, LIMITS.OTP_MAX_ATTEMPTS]);
    expect(runs.map((r) => r.guesses.at(-1)!.text)).toEqual([expect.stringMatching(PAUSED), expect.stringMatching(PAUSED)]);
    expect(runs[0]!.claim.text).toMatch(CODE_PROMPT);
  });

  test('a code guessed while verification is paused gets 429 with Retry-After, and the chat says so and offers a person', async () => {
    const { order, email } = target();
    const waiting = await chat(address());
    await waiting.say(`status of ${order}`);
    const code = (await codesSentTo(service.url, email))[0]!;
    const lockout = await guessUntilPaused(address(), order, email);
    expect(lockout.guesses.at(-1)!.text).toMatch(PAUSED);

    for (const attempt of [code, wrongCode([code])]) {
      const answer = await waiting.say(attempt);
      expect(answer.status).toBe(429);
      expect(answer.error).toEqual({ code: 'SB_ERR_RATE_LIMITED', message: expect.stringMatching(/Verification is paused for \d+ minutes?/) });
      const seconds = Number(answer.retryAfter);
      expect(Number.isInteger(seconds)).toBe(true);
      expect(seconds).toBeGreaterThan(0);
      expect(seconds).toBeLessThanOrEqual(15 * 60);
    }
    const history = await (await fetch(`${service.url}/api/webchat/messages?after=-1`, { headers: { authorization: `Bearer ${waiting.token}` } })).json();
    const last = (history as { messages: Array<{ message: { kind: string; text?: string; options?: Array<{ label: string }> } }> }).messages.at(-1)!;
    expect(last.message).toMatchObject({ kind: 'choice', text: expect.stringMatching(PAUSED), options: [{ label: 'Talk to a person' }] });
  });

  test('one address is paused after OTP_MAX_ATTEMPTS_PER_IP claims and guesses across sessions; another address is not', async () => {
    const { order, email } = target();
    const busy = address();
    const pending = await chat(busy);
    expect((await pending.say(`where is ${order}`)).text).toMatch(CODE_PROMPT);
    const code = (await codesSentTo(service.url, email))[0]!;
    // Claims of orders that don't exist, one per fresh session: each spends from the address's budget.
    const replies: string[] = [];
    for (let i = 0; i < LIMITS.OTP_MAX_ATTEMPTS_PER_IP; i += 1) replies.push((await (await chat(busy)).say(`where is order ${199900 + i}`)).text);
    expect(replies.slice(0, LIMITS.OTP_MAX_ATTEMPTS_PER_IP - 1).every((t) => CODE_PROMPT.test(t))).toBe(true);
    expect(replies.at(-1)).toMatch(PAUSED);

    expect((await pending.say(code)).status).toBe(429);
    expect(await pending.transcript()).not.toMatch(/you are verified|Order \d{6}:/i);
    const elsewhere = await chat(address());
    expect((await elsewhere.say(`where is ${order}`)).text).toMatch(CODE_PROMPT);
  });

  test('at most OTP_SENDS_PER_HOUR codes reach one customer, resends included, and the replies never change', async () => {
    const { order, email } = target();
    const replies: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const client = await chat(address());
      replies.push((await client.say(`where is my order ${order}`)).text);
      replies.push((await client.say('resend')).text);
    }
    expect(await codesSentTo(service.url, email)).toHaveLength(LIMITS.OTP_SENDS_PER_HOUR);
    expect(new Set(replies.filter((_, i) => i % 2 === 0))).toEqual(new Set([replies[0]]));
    expect(new Set(replies.filter((_, i) => i % 2 === 1))).toEqual(new Set([`I've sent a new code. Please type it here.`]));
  });

  test('a pause survives a restart: the right code is still refused and a new session is still paused', async () => {
    const { order, email } = target();
    const waiting = await chat(address());
    await waiting.say(`where is my order ${order}`);
    const code = (await codesSentTo(service.url, email))[0]!;
    expect((await guessUntilPaused(address(), order, email)).guesses.at(-1)!.text).toMatch(PAUSED);

    service = await restartTestService(service);
    const resumed = new ChatProbe(service.url, waiting.ip);
    resumed.token = waiting.token;
    const answer = await resumed.say(code);
    expect(answer.status).toBe(429);
    expect(await resumed.transcript()).not.toMatch(/you are verified|Order \d{6}:/i);
    expect((await (await chat(address())).say(`where is my order ${order}`)).text).toMatch(PAUSED);
  });
});

describe('verification budgets shared by two instances (redis+postgres)', () => {
  let first: TestService;
  let second: RunningService;
  beforeAll(async () => {
    first = await startTestService('redis+postgres', { ...ENV, SESSION_SECRET: 'two-instances-share-this-secret-0123456789' });
    // Same database, Redis prefix and secret: a second instance of the same deployment.
    second = await startService(loadConfig(first.env), { log: createLogger('silent') });
  });
  afterAll(async () => {
    await second?.close();
    await first?.dispose();
  });

  test('a pause reached on one instance holds on the other', async () => {
    const waiting = await new ChatProbe(second.url, '198.51.100.1').start();
    expect((await waiting.say('where is my order 100234')).text).toMatch(CODE_PROMPT);
    const code = (await codesSentTo(second.url, 'ada@example.com'))[0]!;
    const attacker = await new ChatProbe(first.url, '198.51.100.2').start();
    await attacker.say('where is my order 100234');
    let last = '';
    for (let i = 0; i < LIMITS.OTP_MAX_ATTEMPTS; i += 1) last = (await attacker.say(wrongCode([code]))).text;
    expect(last).toMatch(PAUSED);
    expect((await waiting.say(code)).status).toBe(429);
  });
});
