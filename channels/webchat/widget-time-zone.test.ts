import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../../test/browser.js';
import { latestCode, textOf, type SendResult } from '../../test/chat-client.js';
import { startTestService, type TestService } from '../../test/service.js';

const ADA_EMAIL = 'ada@example.com';
const SHOP_ZONE = 'America/Los_Angeles';

const dayIn = (date: Date, timeZone: string) => new Intl.DateTimeFormat('en-US', { weekday: 'short', month: 'short', day: 'numeric', timeZone }).format(date);

describe('times in the customer’s time zone over web chat', () => {
  let service: TestService;
  let browser: Browser;
  let eta: Date;
  /** A zone whose calendar puts the estimate on another day than the shop's does. */
  let otherZone: string;
  beforeAll(async () => {
    [service, browser] = await Promise.all([startTestService('embedded', { SHOP_TIME_ZONE: SHOP_ZONE }), launchChromium()]);
    const shipment = await service.database.db.selectFrom('shipments').select('estimated_delivery').where('order_number', '=', '100234').executeTakeFirstOrThrow();
    eta = shipment.estimated_delivery!;
    // UTC+14 is a day ahead of California except just after midnight there, when Honolulu is a day behind.
    otherZone = ['Pacific/Kiritimati', 'Pacific/Honolulu'].find((z) => dayIn(eta, z) !== dayIn(eta, SHOP_ZONE))!;
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  async function session(): Promise<string> {
    const res = await fetch(`${service.url}/api/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    return ((await res.json()) as { token: string }).token;
  }

  function post(token: string, text: string, timeZone?: string): Promise<Response> {
    return fetch(`${service.url}/api/webchat/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ id: randomUUID().replaceAll('-', ''), text, ...(timeZone !== undefined ? { timeZone } : {}) }),
    });
  }

  async function orderStatus(timeZone?: string): Promise<string> {
    const token = await session();
    await post(token, 'has 100234 shipped yet?', timeZone);
    const code = await latestCode(service.url, ADA_EMAIL);
    const answer = await post(token, code!, timeZone);
    expect(answer.status).toBe(200);
    return textOf((await answer.json()) as SendResult);
  }

  test('the delivery estimate is on the shop’s calendar when the channel sends no zone', async () => {
    const text = await orderStatus();
    expect(text).toContain(`Estimated delivery: ${dayIn(eta, SHOP_ZONE)}.`);
  });

  test('the delivery estimate is on the customer’s calendar when the widget sends their zone', async () => {
    const text = await orderStatus(otherZone);
    expect(text).toContain(`Estimated delivery: ${dayIn(eta, otherZone)}.`);
    expect(text).not.toContain(dayIn(eta, SHOP_ZONE));
  });

  test.each(['Mars/Olympus_Mons', '+14:00', 'PST', '<script>'])('a message with time zone %j is refused and nothing is stored', async (timeZone) => {
    const token = await session();
    const res = await post(token, 'has 100234 shipped yet?', timeZone);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { code: string; details: Array<{ path: string }> } };
    expect(body.error.code).toBe('SB_ERR_VALIDATION');
    expect(body.error.details.map((d) => d.path)).toContain('timeZone');
    const history = await fetch(`${service.url}/api/webchat/messages`, { headers: { authorization: `Bearer ${token}` } });
    expect(((await history.json()) as { conversationId: string | null }).conversationId).toBeNull();
  });

  test('the widget sends the browser’s time zone, and the answer uses it', async () => {
    const context = await browser.newContext({ timezoneId: otherZone });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${service.url}/`);
    const log = page.getByRole('log', { name: 'Conversation' });
    const input = page.getByLabel('Message');
    await input.fill('has 100234 shipped yet?');
    await input.press('Enter');
    await expect.poll(() => log.innerText()).toMatch(/6-digit code/);
    await input.fill((await latestCode(service.url, ADA_EMAIL))!);
    await input.press('Enter');
    await expect.poll(() => log.innerText()).toMatch(/Order 100234: Shipped/);
    expect(await log.innerText()).toContain(`Estimated delivery: ${dayIn(eta, otherZone)}.`);
    expect(errors).toEqual([]);
    await context.close();
  });
});
