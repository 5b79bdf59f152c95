import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium, watchErrors } from '../test/browser.js';
import { demoAgents } from '../test/agent-client.js';
import { startInstancePair, type InstancePair } from '../test/instance-pair.js';
import { DEPLOYMENTS } from '../test/service.js';
import { messageWebhook, postTestWebhook, TestChannelProvider } from '../test/test-channel-provider.js';

async function signIn(page: Page, baseUrl: string, email: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/agent`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
}

describe.each(DEPLOYMENTS)('the agent console in Chromium (%s)', (deployment) => {
  let pair: InstancePair;
  let browser: Browser;
  // A channel whose messages carry the sender's display name (the web chat's carry none).
  let provider: TestChannelProvider;
  beforeAll(async () => {
    provider = await new TestChannelProvider().start();
    [pair, browser] = await Promise.all([startInstancePair(deployment, provider.env()), launchChromium()]);
    // The first request would build the console (seconds on a busy machine): build it before the clock runs.
    await pair.b.agentConsole.prepare();
  });
  afterAll(async () => {
    await browser?.close();
    await pair?.dispose();
    await provider?.stop();
  });

  test('a customer asks for a person in the widget; an agent on another instance claims, replies, sees the answer live and resolves', async () => {
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    const customer = await browser.newPage();
    const agent = await browser.newPage();
    const customerErrors = watchErrors(customer);
    const agentErrors = watchErrors(agent);

    // The agent signs in first, on instance B, and waits with an empty queue.
    await signIn(agent, pair.b.url, demo.technical.email, demo.technical.password);
    const queue = agent.getByRole('list', { name: 'Queue' });
    expect(await queue.getByRole('listitem').count()).toBe(0);

    // The customer, on instance A, asks for a person.
    await customer.goto(`${pair.a.url}/`);
    const chat = customer.getByRole('log', { name: 'Conversation' });
    await customer.getByLabel('Message').fill('I want to talk to a person');
    await customer.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => chat.innerText()).toMatch(/connecting you with a member of our support team/);

    // It appears in the agent's queue live (no reload), naming the visitor and the reason.
    const entry = queue.getByRole('listitem').filter({ hasText: 'Visitor' });
    await expect.poll(() => entry.count(), { timeout: 15_000 }).toBe(1);
    expect(await entry.innerText()).toMatch(/Asked for a person/);
    await entry.getByRole('button').click();
    const transcript = agent.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.innerText()).toContain('I want to talk to a person');

    await agent.getByRole('button', { name: 'Claim' }).click();
    await expect.poll(() => entry.innerText()).toMatch(/Yours/);

    await agent.getByLabel('Reply').fill('Hi, this is Alex from support. How can I help?');
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toContain('Hi, this is Alex from support. How can I help?');

    await customer.getByLabel('Message').fill('My speaker arrived broken');
    await customer.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => transcript.innerText(), { timeout: 15_000 }).toContain('My speaker arrived broken');

    await agent.getByLabel('Internal note').fill('Offer a replacement');
    await agent.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => agent.getByRole('list', { name: 'Notes' }).innerText()).toContain('Offer a replacement');

    await agent.getByRole('button', { name: 'Resolve' }).click();
    await expect.poll(() => queue.getByRole('listitem').count()).toBe(0);
    await expect.poll(() => agent.getByRole('heading', { level: 2, name: 'Visitor' }).locator('xpath=..').innerText()).toMatch(/resolved/);
    // The customer is asked to rate the help, once, and answers with a button.
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toMatch(/rate the help you got today/);
    await customer.getByRole('button', { name: '5 - Excellent' }).click();
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toMatch(/anything you would like to add/i);
    // The note never reached the customer; no action showed an error.
    expect(await chat.innerText()).not.toContain('Offer a replacement');
    expect(await agent.getByRole('alert').count()).toBe(0);
    expect([...customerErrors, ...agentErrors]).toEqual([]);
    await customer.close();
    await agent.close();
  });

  test('markup in what the customer wrote and in notes is shown as text in the console, never run', async () => {
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    const customer = await browser.newPage();
    await customer.goto(`${pair.a.url}/`);
    const chat = customer.getByRole('log', { name: 'Conversation' });
    await customer.getByLabel('Message').fill('talk to a person');
    await customer.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => chat.innerText()).toMatch(/connecting you/);
    const payload = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    await customer.getByLabel('Message').fill(payload);
    await customer.getByRole('button', { name: 'Send' }).click();

    const agent = await browser.newPage();
    const errors = watchErrors(agent);
    await signIn(agent, pair.b.url, demo.supervisor.email, demo.supervisor.password);
    // The newest waits least: last in the queue.
    const entry = agent.getByRole('list', { name: 'Queue' }).getByRole('listitem').last();
    await entry.getByRole('button').click();
    const transcript = agent.getByRole('log', { name: 'Transcript' });
    await expect.poll(() => transcript.innerText()).toContain('<img src=x');
    await agent.getByLabel('Internal note').fill('<img src=y onerror="window.__pwned=3">');
    await agent.getByRole('button', { name: 'Add note' }).click();
    await expect.poll(() => agent.getByRole('list', { name: 'Notes' }).innerText()).toContain('<img src=y');

    expect(await agent.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await agent.locator('.conversation img, .conversation script').count()).toBe(0);
    expect(errors).toEqual([]);
    await customer.close();
    await agent.close();
  });

  test("markup in a customer's display name is shown as text in the queue and the conversation, never run", async () => {
    const demo = await demoAgents(pair.a.env.DATA_DIR!);
    const name = '<img src=x onerror="window.__pwned=4">Mallory';
    const webhook = { ...messageWebhook(`tc-xss-${Date.now()}`, { type: 'text', text: 'talk to a person' }), from: { id: `tc-xss-${Date.now()}`, name } };
    expect((await postTestWebhook(pair.a.url, provider.secret, webhook)).status).toBe(200);

    const agent = await browser.newPage();
    const errors = watchErrors(agent);
    await signIn(agent, pair.b.url, demo.supervisor.email, demo.supervisor.password);
    const entry = agent.getByRole('list', { name: 'Queue' }).getByRole('listitem').filter({ hasText: 'Mallory' });
    await expect.poll(() => entry.count(), { timeout: 15_000 }).toBe(1);
    expect(await entry.innerText()).toContain(name);
    await entry.getByRole('button').click();
    await expect.poll(() => agent.locator('#conversation-heading').innerText()).toBe(name);
    expect(await agent.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await agent.locator('img').count()).toBe(0);
    expect(errors).toEqual([]);
    await agent.close();
  });
});
