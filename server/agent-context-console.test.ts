import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signInToConsole, startConsoleInChromium, watchErrors } from '../test/browser.js';
import { demoAgents } from '../test/agent-client.js';
import { ChatClient } from '../test/chat-client.js';
import type { TestService } from '../test/service.js';

describe('the context package in the agent console, in Chromium (embedded)', () => {
  let service: TestService;
  let browser: Browser;
  beforeAll(async () => {
    ({ service, browser } = await startConsoleInChromium());
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  test('on pickup the agent reads the summary and why it was handed off, with what the customer wrote shown as text', async () => {
    const customer = await new ChatClient(service.url).start();
    const markup = '<img src=x onerror="window.__pwned=1">';
    await customer.say(`My speaker arrived broken and makes no sound at all ${markup}`);
    await customer.say('talk to a person');

    const demo = await demoAgents(service.env.DATA_DIR!);
    const agent = await browser.newPage();
    const errors = watchErrors(agent);
    await signInToConsole(agent, service.url, demo.supervisor);

    const entry = agent.getByRole('list', { name: 'Queue' }).getByRole('listitem').last();
    await entry.getByRole('button').click();
    const pickup = agent.getByRole('region', { name: 'Context package' });
    const summary = pickup.getByRole('region', { name: 'Summary' });
    await expect.poll(() => summary.innerText(), { timeout: 15_000 }).toContain('The customer wrote: “My speaker arrived broken and makes no sound at all <img src=x');
    expect(await summary.innerText()).toContain('The customer is not verified.');
    expect(await summary.innerText()).toMatch(/Extractive summary from the conversation log/);
    const handoff = pickup.getByRole('region', { name: 'Why it was handed off' });
    expect(await handoff.innerText()).toMatch(/Asked for a person/);
    expect(await handoff.innerText()).toMatch(/Priority (low|normal|high|urgent)/);
    expect(await pickup.innerText()).toMatch(/Not verified in this conversation: no profile, orders, devices or earlier contacts are shown/);
    expect(await pickup.getByRole('region', { name: 'What the bot tried' }).innerText()).toMatch(/handed off/);
    expect(await pickup.getByRole('list', { name: 'Sentiment per message' }).getByRole('listitem').count()).toBe(2);

    // What the customer wrote is text everywhere, never markup that runs.
    expect(await agent.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await agent.locator('.pickup img').count()).toBe(0);
    expect(errors).toEqual([]);
    await agent.close();
  });
});
