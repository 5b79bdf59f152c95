import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { demoAgents } from '../test/agent-client.js';
import { launchChromium, watchErrors } from '../test/browser.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';

describe.each(DEPLOYMENTS)('the Reply box tools in Chromium (%s)', (deployment) => {
  let service: TestService;
  let browser: Browser;
  beforeAll(async () => {
    [service, browser] = await Promise.all([startTestService(deployment, { ROUTING_AUTO_ASSIGN: 'false' }), launchChromium()]);
    // The first request would build the console (seconds on a busy machine): build it before the clock runs.
    await service.agentConsole.prepare();
    // Starting and building on a machine shared with other suites can outlast the default minute.
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  test('an agent inserts a canned response and an article, fills the placeholder, edits and sends; the customer gets exactly that', async () => {
    const demo = await demoAgents(service.env.DATA_DIR!);
    const customer = await browser.newPage();
    const agent = await browser.newPage();
    const agentErrors = watchErrors(agent);
    const customerErrors = watchErrors(customer);

    await customer.goto(`${service.url}/`);
    const chat = customer.getByRole('log', { name: 'Conversation' });
    for (const text of ['my speaker has no sound at all', 'talk to a person']) {
      await customer.getByLabel('Message').fill(text);
      await customer.getByRole('button', { name: 'Send', exact: true }).click();
      await expect.poll(() => chat.innerText()).toContain(text);
    }
    await expect.poll(() => chat.innerText()).toMatch(/connecting you with a member of our support team/);

    await agent.goto(`${service.url}/agent`);
    await agent.getByLabel('Email').fill(demo.technical.email);
    await agent.getByLabel('Password').fill(demo.technical.password);
    await agent.getByRole('button', { name: 'Sign in' }).click();
    await agent.getByRole('status').filter({ hasText: 'Live' }).waitFor();
    const entry = agent.getByRole('list', { name: 'Queue' }).getByRole('listitem').filter({ hasText: 'Visitor' });
    await expect.poll(() => entry.count(), { timeout: 15_000 }).toBe(1);
    await entry.getByRole('button').click();
    await agent.getByRole('button', { name: 'Claim' }).click();

    // "/hi" in the Reply box offers the greeting; picking it puts it in the box, sends nothing.
    const reply = agent.getByLabel('Reply');
    await reply.fill('/hi');
    await agent.getByRole('list', { name: 'Canned responses' }).getByRole('button', { name: /Greeting/ }).click();
    await expect.poll(() => reply.inputValue()).toBe("Hi {{customer.firstName}}, this is Alex from Voltline support. I'm reading through your conversation now.");
    // The unverified customer's name is not filled: it is shown marked, and Send waits for the agent to fill it.
    await expect.poll(() => agent.locator('#reply-placeholders mark').first().innerText()).toBe('{{customer.firstName}}');
    expect(await agent.getByRole('button', { name: 'Send', exact: true }).isDisabled()).toBe(true);

    // One click puts the suggested article's passage and link after it.
    const suggestions = agent.getByRole('list', { name: 'Suggested articles' });
    const article = suggestions.getByRole('listitem').filter({ hasText: "Speaker has no sound or won't connect" });
    await expect.poll(() => article.count(), { timeout: 15_000 }).toBe(1);
    await article.getByRole('button', { name: /^Insert/ }).click();
    const url = `${service.url}/help/speaker-no-sound-or-wont-connect`;
    await expect.poll(() => reply.inputValue()).toContain(url);

    const edited = (await reply.inputValue()).replace('{{customer.firstName}}', 'there') + '\nDoes that help?';
    await reply.fill(edited);
    expect(await agent.locator('#reply-placeholders').count()).toBe(0);
    await agent.getByRole('button', { name: 'Send', exact: true }).click();
    await expect.poll(() => chat.innerText(), { timeout: 15_000 }).toContain("Hi there, this is Alex from Voltline support. I'm reading through your conversation now.");
    expect(await chat.innerText()).toContain(url);
    expect(await chat.innerText()).toContain('Does that help?');
    expect(await chat.innerText()).not.toContain('{{');
    await expect.poll(() => reply.inputValue()).toBe('');

    // Alt+D drafts into the Reply box; nothing reaches the customer without Send.
    await agent.keyboard.press('Alt+D');
    await expect.poll(() => reply.inputValue()).toMatch(/^Hi there,[\s\S]*You can read more in our help article/);
    await agent.getByText('Draft built from the help articles').waitFor();
    // Alt+I and Alt+R move between the boxes; "?" outside them lists the shortcuts.
    await agent.keyboard.press('Alt+I');
    expect(await agent.evaluate(() => document.activeElement?.id)).toBe('note');
    await agent.keyboard.press('Alt+R');
    expect(await agent.evaluate(() => document.activeElement?.id)).toBe('reply');
    await agent.locator('#conversation-heading').click();
    await agent.keyboard.press('?');
    const help = agent.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await expect.poll(() => help.innerText()).toMatch(/Alt\+N[\s\S]*next conversation/);
    expect(await chat.innerText()).not.toContain('You can read more in our help article');

    expect(await agent.getByRole('alert').count()).toBe(0);
    expect([...agentErrors, ...customerErrors]).toEqual([]);
    await customer.close();
    await agent.close();
  });
});
