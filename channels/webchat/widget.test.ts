import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../../test/browser.js';
import { latestCode } from '../../test/chat-client.js';
import { startTestService, type TestService } from '../../test/service.js';

describe('web-chat widget in Chromium', () => {
  let service: TestService;
  let browser: Browser;
  beforeAll(async () => {
    [service, browser] = await Promise.all([startTestService('embedded'), launchChromium()]);
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  test('a customer asks about an order, verifies with the code from the outbox, reads the answer, and keeps it after a reload', async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${service.url}/`);
    const log = page.getByRole('log', { name: 'Conversation' });
    const input = page.getByLabel('Message');
    const send = page.getByRole('button', { name: 'Send' });

    await input.fill('has 100234 shipped yet?');
    await send.click();
    await expect.poll(() => log.innerText()).toMatch(/6-digit code/);
    expect(await log.innerText()).not.toMatch(/UPS/);

    const code = await latestCode(service.url, 'ada@example.com');
    await input.fill(code!);
    await input.press('Enter');
    await expect.poll(() => log.innerText()).toMatch(/Order 100234: Shipped/);
    const track = log.getByRole('link', { name: /Track with/ });
    expect(await track.getAttribute('href')).toMatch(/^https:\/\//);
    expect(await track.getAttribute('rel')).toContain('noopener');

    await page.reload();
    await expect.poll(() => page.getByRole('log', { name: 'Conversation' }).innerText()).toMatch(/Order 100234: Shipped/);
    expect(errors).toEqual([]);
    await page.close();
  });

  test('quick replies are buttons that answer the bot', async () => {
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await page.getByLabel('Message').fill('hello');
    await page.getByRole('button', { name: 'Send' }).click();
    const choice = page.getByRole('group', { name: 'Suggested replies' }).getByRole('button', { name: "Where's my order?" });
    await choice.click();
    await expect.poll(() => page.getByRole('log', { name: 'Conversation' }).innerText()).toMatch(/What's the order number\?/);
    await page.close();
  });

  test('markup typed by a customer is shown as text, never run', async () => {
    const page = await browser.newPage();
    await page.goto(`${service.url}/`);
    await page.getByLabel('Message').fill('<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>');
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => page.getByRole('log', { name: 'Conversation' }).innerText()).toContain('<img src=x');
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.locator('.sb-log img').count()).toBe(0);
    await page.close();
  });
});
