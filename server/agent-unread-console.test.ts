import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, watchErrors } from '../test/browser.js';
import { demoAgents, handedOffCustomer } from '../test/agent-client.js';
import { startInstancePair, type InstancePair } from '../test/instance-pair.js';

async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/agent`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
}

describe('unread badges, My conversations and the resolve outcome in Chromium', () => {
  let pair: InstancePair;
  let browser: Browser;
  beforeAll(async () => {
    [pair, browser] = await Promise.all([startInstancePair('redis+postgres', { WEBCHAT_MESSAGES_PER_MINUTE: '1000', ROUTING_AUTO_ASSIGN: 'false' }), launchChromium()]);
    await pair.b.agentConsole.prepare();
  });
  afterAll(async () => {
    await browser?.close();
    await pair?.dispose();
  });

  test('badges count new customer messages live and clear on opening; a claimed conversation is under My conversations; the outcome is recorded', async () => {
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    const agent = await browser.newPage();
    const errors = watchErrors(agent);
    await signIn(agent, pair.b.url, demo.returns.email, demo.returns.password);
    const queue = agent.getByRole('list', { name: 'Queue' });
    const mine = agent.getByRole('list', { name: 'My conversations' });
    expect(await mine.getByRole('listitem').count()).toBe(0);

    // Customers write on instance A; the console on B hears of it live.
    const first = await handedOffCustomer(pair.a.url, 'talk to a person about my kettle');
    const firstEntry = queue.getByRole('listitem').first();
    await expect.poll(() => firstEntry.getByLabel('1 unread').count(), { timeout: 15_000 }).toBe(1);
    await first.client.say('It leaks from the bottom');
    await expect.poll(() => firstEntry.getByLabel('2 unread').count(), { timeout: 15_000 }).toBe(1);

    // Opening it reads it: the badge goes and stays gone while new messages arrive on screen.
    await firstEntry.getByRole('button').click();
    const transcript = agent.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.innerText()).toContain('It leaks from the bottom');
    await expect.poll(() => firstEntry.getByLabel(/unread/).count()).toBe(0);
    await agent.getByRole('button', { name: 'Claim' }).click();
    const held = mine.getByRole('listitem');
    await expect.poll(() => held.count()).toBe(1);
    expect(await held.innerText()).toContain('Visitor');
    await first.client.say('Are you still there?');
    await expect.poll(() => transcript.innerText(), { timeout: 15_000 }).toContain('Are you still there?');
    expect(await held.getByLabel(/unread/).count()).toBe(0);

    // With another conversation open, the held one's new messages show in My conversations.
    await handedOffCustomer(pair.a.url, 'I want a human please');
    const second = queue.getByRole('listitem').filter({ hasNotText: 'Yours' });
    await expect.poll(() => second.count(), { timeout: 15_000 }).toBe(1);
    await second.getByRole('button').click();
    await expect.poll(() => transcript.innerText()).toContain('I want a human please');
    await first.client.say('Hello?');
    await expect.poll(() => held.getByLabel('1 unread').count(), { timeout: 15_000 }).toBe(1);
    await held.getByRole('button').click();
    await expect.poll(() => transcript.innerText()).toContain('Hello?');
    await expect.poll(() => held.getByLabel(/unread/).count()).toBe(0);

    // Resolving records the steps taken and links, shown with the conversation.
    await agent.getByLabel('Steps taken').fill('Started a return with a prepaid label.');
    await agent.getByLabel('Links').fill('https://files.voltline.example/leak.png\nhttps://tickets.voltline.example/T-7');
    await agent.getByRole('button', { name: 'Resolve' }).click();
    const outcome = agent.getByRole('list', { name: 'Outcome' });
    await expect.poll(() => outcome.innerText().catch(() => ''), { timeout: 15_000 }).toContain('Started a return with a prepaid label.');
    expect(await outcome.getByRole('link', { name: 'https://files.voltline.example/leak.png' }).getAttribute('href')).toBe('https://files.voltline.example/leak.png');
    expect(await outcome.getByRole('link').count()).toBe(2);
    await expect.poll(() => mine.getByRole('listitem').count()).toBe(0);

    // A link that is not http(s) is refused with the field named, and nothing is resolved.
    const other = queue.getByRole('listitem').first();
    await other.getByRole('button').click();
    await agent.getByLabel('Links').fill('javascript:alert(1)');
    await agent.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => agent.getByRole('alert').innerText()).toMatch(/links\[0\]: must be an http:\/\/ or https:\/\/ URL/);
    expect(await queue.getByRole('listitem').count()).toBe(1);
    expect(errors.filter((e) => !/400/.test(e))).toEqual([]);
    await agent.close();
  }, 180_000);
});
