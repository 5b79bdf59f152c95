import { createHmac } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../../test/browser.js';
import { ChatClient, latestCode } from '../../test/chat-client.js';
import { startTestService, type TestService } from '../../test/service.js';
import { WebchatSessions } from './session.js';

const GRACE_EMAIL = 'grace@example.com';
const SESSION_SECRET = 'widget-refusals-session-secret-0123456789';

describe('web-chat widget when the server refuses (Chromium)', () => {
  let service: TestService;
  let browser: Browser;
  beforeAll(async () => {
    [service, browser] = await Promise.all([startTestService('embedded', { OTP_MAX_ATTEMPTS: '5', SESSION_SECRET }), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  async function openChat(page: Page): Promise<{ send(text: string): Promise<void> }> {
    await page.goto(`${service.url}/`);
    const input = page.getByLabel('Message');
    return {
      send: async (text) => {
        await input.fill(text);
        await page.getByRole('button', { name: 'Send' }).click();
      },
    };
  }
  const log = (page: Page) => page.getByRole('log', { name: 'Conversation' }).innerText();
  const storedToken = (page: Page) => page.evaluate(() => Object.entries(window.localStorage).find(([k]) => k.startsWith('switchboard.webchat.token@'))?.[1]);

  const visitor = 'AAAAAAAAAAAAAAAAAAAAAA';
  test.each([
    ['a stored token of the old format (it never expired)', () => `v1.${visitor}.${createHmac('sha256', SESSION_SECRET).update(`webchat:${visitor}`).digest('base64url')}`],
    ['a stored expired token', () => new WebchatSessions({ secret: SESSION_SECRET, ttlHours: 1, now: () => new Date(Date.now() - 2 * 3_600_000) }).mint().token],
  ])('%s is replaced by a new session, and the chat works', async (_name, staleToken) => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const origin = new URL(service.url).origin;
    const stale = staleToken();
    await page.addInitScript(([key, token]) => window.localStorage.setItem(key!, token!), [`switchboard.webchat.token@${origin}`, stale]);
    const chat = await openChat(page);
    await chat.send('where is my order?');
    await expect.poll(() => log(page)).toMatch(/What's the order number\?/);
    const fresh = (await storedToken(page))!;
    expect(fresh).not.toBe(stale);
    expect(Number(fresh.split('.')[3]) * 1000).toBeGreaterThan(Date.now());
    expect(errors).toEqual([]);
    await page.close();
  });

  test('a token refused while chatting (401) starts a new session and the message still goes through', async () => {
    const page = await browser.newPage();
    const chat = await openChat(page);
    await chat.send('hello');
    await expect.poll(() => log(page)).toMatch(/hello/);
    const first = await storedToken(page);
    let refused = 0;
    await page.route('**/api/webchat/messages', async (route) => {
      if (route.request().method() === 'POST' && refused === 0) {
        refused += 1;
        await route.fulfill({ status: 401, contentType: 'application/json', body: JSON.stringify({ error: { code: 'SB_ERR_UNAUTHENTICATED', message: 'expired' } }) });
        return;
      }
      await route.continue();
    });
    await chat.send('where is my order?');
    await expect.poll(() => log(page)).toMatch(/What's the order number\?/);
    expect(refused).toBe(1);
    expect(await storedToken(page)).not.toBe(first);
    await page.close();
  });

  test('a code typed while verification is paused shows the server\'s reason and the bot\'s offer of a person', async () => {
    const page = await browser.newPage();
    const chat = await openChat(page);
    await chat.send('where is my order 100300?');
    await expect.poll(() => log(page)).toMatch(/6-digit code/);
    const code = (await latestCode(service.url, GRACE_EMAIL))!;

    // Someone else spends the order's attempts meanwhile.
    const other = await new ChatClient(service.url).start();
    await other.say('where is my order 100300?');
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 5; i += 1) await other.say(wrong);

    await chat.send(code);
    await expect.poll(() => page.getByRole('status').innerText()).toMatch(/Verification is paused for 15 minutes/);
    await expect.poll(() => log(page)).toMatch(/verification is paused for 15 minutes/);
    expect(await log(page)).not.toMatch(/Out for delivery|USPS/);
    await expect.poll(() => page.getByRole('group', { name: 'Suggested replies' }).getByRole('button', { name: 'Talk to a person' }).count()).toBe(1);
    await page.close();
  });
});
