import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { signInToConsole, startConsoleInChromium, watchErrors } from '../test/browser.js';
import { latestCode, textOf } from '../test/chat-client.js';
import type { TestService } from '../test/service.js';

// The API's behaviour is covered on both deployments (agent-verification.test.ts); this is the console's flow.
describe('verifying a customer and acting for them in the agent console (Chromium)', () => {
  let service: TestService;
  let browser: Browser;
  beforeAll(async () => {
    ({ service, browser } = await startConsoleInChromium());
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  test('the agent sends a code to the email on file, checks what the customer typed, then sees the orders and opens a refund request with a reason', async () => {
    const demo = await demoAgents(service.env.DATA_DIR!);
    const { client } = await handedOffCustomer(service.url);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signInToConsole(page, service.url, demo.technical);
    const entry = page.getByRole('list', { name: 'Queue' }).getByRole('listitem').filter({ hasText: 'Visitor' });
    await expect.poll(() => entry.count(), { timeout: 15_000 }).toBeGreaterThan(0);
    await entry.first().getByRole('button').click();

    const verify = page.getByRole('region', { name: 'Verify customer' });
    await verify.getByLabel('Verification method').selectOption('code_email');
    await verify.getByLabel('Order number or email the customer gave').fill(DEMO_FIXTURES.setupOrder);
    await verify.getByRole('button', { name: 'Issue code' }).click();
    await expect.poll(() => verify.getByRole('status').first().innerText()).toContain('Code sent to the email on file (a…@example.com)');
    // Not verified yet: the console shows no profile.
    expect(await page.getByText("Not verified: the customer's profile and orders are not shown.").count()).toBe(1);

    await expect.poll(() => latestCode(service.url, DEMO_FIXTURES.email), { timeout: 15_000 }).toMatch(/^\d{6}$/);
    const code = (await latestCode(service.url, DEMO_FIXTURES.email))!;
    await client.say(code);
    await verify.getByLabel('Code from the customer').fill(code);
    await verify.getByRole('button', { name: 'Check' }).click();

    const context = page.getByRole('complementary', { name: 'Context' });
    await expect.poll(() => context.innerText(), { timeout: 15_000 }).toContain(DEMO_FIXTURES.name);
    const actions = page.getByRole('region', { name: 'Actions' });
    await actions.getByLabel('Action', { exact: true }).selectOption('refund');
    await actions.getByLabel('Order', { exact: true }).selectOption(DEMO_FIXTURES.setupOrder);
    await actions.getByLabel('Reason (recorded with the action)').fill('double charge on the statement');
    await actions.getByRole('button', { name: 'Run action' }).click();
    await expect.poll(() => actions.getByRole('status', { name: 'Action result' }).innerText(), { timeout: 15_000 }).toMatch(/Done: refund request/);
    await expect.poll(async () => textOf((await client.history()).messages), { timeout: 15_000 }).toMatch(/asked our payments team to refund order 100233/);
    expect(errors).toEqual([]);
  });
});
