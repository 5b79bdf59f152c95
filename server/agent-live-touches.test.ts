import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, watchErrors } from '../test/browser.js';
import { demoAgents } from '../test/agent-client.js';
import { startInstancePair, type InstancePair } from '../test/instance-pair.js';

async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/agent`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
}

describe('a person joins the web chat, types, and a supervisor reassigns it, in Chromium across two instances', () => {
  let pair: InstancePair;
  let browser: Browser;
  beforeAll(async () => {
    // Agents claim by hand here: routing's offers would race the claim.
    [pair, browser] = await Promise.all([startInstancePair('redis+postgres', { ROUTING_AUTO_ASSIGN: 'false' }), launchChromium()]);
    await pair.b.agentConsole.prepare();
  });
  afterAll(async () => {
    await browser?.close();
    await pair?.dispose();
  });

  test('the customer sees "<first name> has joined" and "is typing…"; agents see each other; the supervisor sees load and reassigns', async () => {
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    const customer = await browser.newPage();
    const sam = await browser.newPage();
    const morgan = await browser.newPage();
    const errors = [watchErrors(customer), watchErrors(sam), watchErrors(morgan)];

    await customer.goto(`${pair.a.url}/`);
    const chat = customer.getByRole('log', { name: 'Conversation' });
    await customer.getByLabel('Message').fill('I want to talk to a person');
    await customer.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => chat.innerText()).toMatch(/connecting you with a member of our support team/);

    // Sam, on the other instance, claims it: the customer is told who joined, by first name.
    await signIn(sam, pair.b.url, demo.returns.email, demo.returns.password);
    const entry = sam.getByRole('list', { name: 'Queue' }).getByRole('listitem').filter({ hasText: 'Visitor' });
    await expect.poll(() => entry.count(), { timeout: 15_000 }).toBe(1);
    await entry.getByRole('button').click();
    await sam.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toContain('Sam has joined');
    await expect.poll(() => customer.locator('.sb-header').innerText()).toContain('You are chatting with Sam');

    // Sam types: the customer sees it, and so does the supervisor looking at the same conversation.
    await signIn(morgan, pair.a.url, demo.supervisor.email, demo.supervisor.password);
    await morgan.getByRole('list', { name: 'Queue' }).getByRole('listitem').filter({ hasText: 'Visitor' }).getByRole('button').click();
    await expect.poll(() => sam.locator('.activity').innerText(), { timeout: 15_000 }).toContain('Morgan (supervisor) is viewing');
    await sam.getByLabel('Reply').fill('Let me check that for you');
    await expect.poll(() => customer.getByText('Sam is typing…').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => morgan.locator('.activity').innerText(), { timeout: 15_000 }).toContain('Sam is typing…');
    await sam.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toContain('Let me check that for you');
    // The message arrived: the indicator is gone with it.
    expect(await customer.getByText('Sam is typing…').count()).toBe(0);

    // The supervisor's overview: Sam holds one conversation; Morgan hands it to Alex.
    const agents = morgan.getByRole('table', { name: 'Agents' });
    await expect.poll(() => agents.getByRole('row').filter({ hasText: 'Sam' }).innerText(), { timeout: 15_000 }).toMatch(/online\s+1\/\d+/);
    const reassignTo = morgan.getByLabel('Agent for Visitor');
    const alexId = await reassignTo.locator('option', { hasText: 'Alex' }).getAttribute('value');
    await reassignTo.selectOption(alexId!);
    await morgan.getByRole('button', { name: 'Reassign Visitor' }).click();
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toContain('Alex has joined');
    await expect.poll(() => customer.locator('.sb-header').innerText()).toContain('You are chatting with Alex');
    await expect.poll(() => entry.innerText(), { timeout: 15_000 }).toMatch(/With Alex/);

    // Names reach the customer as first names only, and nothing here showed an error.
    expect(await chat.innerText()).not.toContain('(supervisor)');
    expect(await morgan.getByRole('alert').count()).toBe(0);
    expect(errors.flat()).toEqual([]);
    await Promise.all([customer.close(), sam.close(), morgan.close()]);
  });
});
