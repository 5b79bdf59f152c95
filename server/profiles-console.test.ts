import { randomUUID } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signInToConsole, startConsoleInChromium, watchErrors } from '../test/browser.js';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { ChatClient } from '../test/chat-client.js';
import type { TestService } from '../test/service.js';
import type { ConversationEvent } from '../core/conversation.js';
import { foldEvents } from '../bots/state.js';
import { DEMO_PROFILES } from '../crm/profile-demo.js';
import { projectionOf } from '../db/conversation-projection.js';
import { ConversationRepository } from '../db/conversations.js';
import { EventWriter } from '../db/event-writer.js';
import { statusChange } from '../handoff/transition.js';

describe('customer profiles in the agent console, in Chromium (embedded)', () => {
  let service: TestService;
  let browser: Browser;
  beforeAll(async () => {
    ({ service, browser } = await startConsoleInChromium());
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  /** A web-chat customer who said `lines` and asked for a person; returns their conversation id. */
  async function customerWho(...lines: string[]): Promise<string> {
    const customer = await new ChatClient(service.url).start();
    for (const line of lines) await customer.say(line);
    await customer.say('talk to a person');
    const { conversationId } = await customer.history();
    if (conversationId === null) throw new Error('no conversation');
    return conversationId;
  }

  /** Resolves a test's conversation, so the next test's is the only one queued. */
  async function resolve(conversationId: string): Promise<void> {
    const demo = await demoAgents(service.env.DATA_DIR!);
    const api = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    const res = await api.post(`/conversations/${conversationId}/resolve`, { disposition: 'solved' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
  }

  /** The supervisor signed in, with the newest queued conversation open. */
  async function agentWithNewestConversation(): Promise<{ page: Page; errors: string[] }> {
    const demo = await demoAgents(service.env.DATA_DIR!);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signInToConsole(page, service.url, demo.supervisor);
    await page.getByRole('list', { name: 'Queue' }).getByRole('listitem').last().getByRole('button').first().click();
    await page.getByRole('region', { name: 'Customer profiles' }).getByLabel('Search term').waitFor();
    return { page, errors };
  }

  test('the agent searches by name with a typo, opens the profile and associates it with the open conversation', async () => {
    const conversationId = await customerWho('hi there, my router keeps dropping');
    const { page, errors } = await agentWithNewestConversation();
    const profiles = page.getByRole('region', { name: 'Customer profiles' });
    await expect.poll(() => profiles.getByLabel('Search by').locator('option').allInnerTexts()).toEqual(['Name', 'Email', 'Phone number', 'Account ID', 'Customer ID']);
    await profiles.getByLabel('Search by').selectOption({ label: 'Name' });
    await profiles.getByLabel('Search term').fill('Jon Smiht');
    await profiles.getByRole('button', { name: 'Search' }).click();
    const results = profiles.getByRole('list', { name: 'Matching profiles' });
    await results.waitFor();
    const first = results.getByRole('listitem').first();
    expect(await first.innerText()).toMatch(/Jon Smith \(C2001\)[\s\S]*j\*\*\*@example\.com/);
    expect(await results.innerText()).toContain('Joán Smith');
    await first.getByRole('button').click();

    const profile = profiles.getByRole('region', { name: 'Jon Smith' });
    await expect.poll(() => profile.innerText()).toContain('Customer ID: C2001');
    await profile.getByRole('button', { name: 'Associate with contact' }).click();
    await expect.poll(() => profile.getByRole('status').innerText()).toBe('This conversation is associated with Jon Smith (C2001).');
    await expect.poll(() => profiles.innerText()).toContain('Associated with Jon Smith (C2001)');
    await expect.poll(() => profile.getByRole('list', { name: 'Contact history' }).getByRole('listitem').count()).toBe(1);
    expect(await profile.getByRole('list', { name: 'Contact history' }).innerText()).toContain('webchat');

    const stored = await service.database.db.selectFrom('profile_associations').select('customer_id').where('conversation_id', '=', conversationId).execute();
    expect(stored).toEqual([{ customer_id: 'C2001' }]);

    // A phone number in another format finds Ada.
    await profiles.getByLabel('Search by').selectOption({ label: 'Phone number' });
    await profiles.getByLabel('Search term').fill('415.555.0101');
    await profiles.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => profiles.getByRole('list', { name: 'Matching profiles' }).innerText()).toMatch(/^Ada Lovelace \(C1001\)/);
    expect(errors).toEqual([]);
    await page.close();
    await resolve(conversationId);
  });

  test('a conversation from a household line shows its linked profiles to choose from, and none is attributed until the agent associates one', async () => {
    const repo = new ConversationRepository(service.database.db);
    const contact = await repo.resolveContact('sms', DEMO_PROFILES.householdLandline);
    const conversation = await repo.openConversation(contact.contactId, 'sms');
    const at = new Date().toISOString();
    const events: ConversationEvent[] = [
      { at, type: 'user_said', channel: 'sms', providerMessageId: randomUUID(), senderId: DEMO_PROFILES.householdLandline, text: 'is my order on its way?' },
      ...statusChange('bot', 'request_human', 'customer_asked', at),
    ];
    await new EventWriter(service.database.db).commit({ conversationId: conversation.id, firstSeq: 0, events, projection: projectionOf(foldEvents(events)), effects: [] });

    const { page, errors } = await agentWithNewestConversation();
    const profiles = page.getByRole('region', { name: 'Customer profiles' });
    const linked = profiles.getByRole('list', { name: 'Linked profiles' });
    await expect.poll(() => linked.getByRole('listitem').allInnerTexts()).toEqual(DEMO_PROFILES.household.map((p) => `${p.name} (${p.id})`));
    expect(await profiles.innerText()).not.toContain('Associated with');
    await linked.getByRole('button', { name: 'Luis García (C2005)' }).click();
    const profile = profiles.getByRole('region', { name: 'Luis García' });
    await profile.getByRole('button', { name: 'Associate with contact' }).click();
    await expect.poll(() => profiles.innerText()).toContain('Associated with Luis García (C2005)');
    expect(errors).toEqual([]);
    await page.close();
    await resolve(conversation.id);
  });

  test('New customer is pre-filled from the conversation; a field error shows on that field and saves nothing; the saved summary shows the Customer ID; a duplicate is merged into it', async () => {
    await customerWho('hello, I want to buy a router, my email is nadia.kerr@example.com');
    const { page, errors } = await agentWithNewestConversation();
    const profiles = page.getByRole('region', { name: 'Customer profiles' });
    await profiles.getByRole('button', { name: 'New customer' }).click();
    const form = profiles.getByRole('form', { name: 'New customer' });
    await expect.poll(() => form.getByLabel('Email').inputValue()).toBe('nadia.kerr@example.com');
    // Mandatory fields carry an asterisk.
    expect(await form.locator('label[for="profile-field-name"]').innerText()).toBe('Name *');
    expect(await form.locator('label[for="profile-field-email"]').innerText()).toBe('Email');

    await form.getByLabel('Account ID').fill('B12');
    await form.getByRole('button', { name: 'Save customer' }).click();
    const accountId = form.getByLabel('Account ID');
    await expect.poll(() => accountId.getAttribute('aria-invalid')).toBe('true');
    const describedBy = (await accountId.getAttribute('aria-describedby')) ?? '';
    const accountError = page.locator(`[id="${describedBy.split(' ')[0] ?? ''}"]`);
    expect(await accountError.innerText()).toBe('Account ID must look like A123456');
    expect(await form.getByLabel('Name').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByLabel('Email').getAttribute('aria-invalid')).toBe('false');
    expect(await service.database.db.selectFrom('customers').select('id').where('email', '=', 'nadia.kerr@example.com').execute()).toEqual([]);

    await form.getByLabel('Name').fill('Nadia Kerr');
    await accountId.fill('A123457');
    await form.getByLabel('Preferred channel').selectOption({ label: 'Email' });
    await form.getByRole('button', { name: 'Save customer' }).click();
    const summary = profiles.getByRole('region', { name: 'Nadia Kerr' });
    await expect.poll(() => summary.innerText()).toMatch(/Customer ID: C\d{8}/);
    const customerId = /Customer ID: (C\d{8})/.exec(await summary.innerText())?.[1];
    const stored = await service.database.db.selectFrom('customers').select(['id', 'account_id']).where('email', '=', 'nadia.kerr@example.com').execute();
    expect(stored).toEqual([{ id: customerId, account_id: 'A123457' }]);

    await summary.getByRole('button', { name: 'Edit customer details' }).click();
    const edit = summary.getByRole('form', { name: 'Edit customer details' });
    expect(await edit.getByLabel('Name').inputValue()).toBe('Nadia Kerr');
    await edit.getByLabel('Company').fill('Kerr & Co <b>bold</b>');
    await edit.getByRole('button', { name: 'Save customer' }).click();
    await expect.poll(() => summary.getByRole('status').innerText()).toBe('Customer details saved.');
    expect(await summary.locator('dl').innerText()).toContain('Kerr & Co <b>bold</b>');
    expect(await summary.locator('b').count()).toBe(0);

    // A duplicate made elsewhere (another email) is merged into this profile, confirmed first.
    const demo = await demoAgents(service.env.DATA_DIR!);
    const api = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    const duplicate = await api.post('/profiles', { fields: { name: 'Nadia Kerr', email: 'nadia.k@example.net' }, sharedPhone: false });
    expect(duplicate.status, JSON.stringify(duplicate.body)).toBe(201);
    const duplicateId = (duplicate.body as { profile: { customerId: string } }).profile.customerId;
    await summary.getByLabel("Duplicate's Customer ID").fill(duplicateId);
    await summary.getByRole('button', { name: 'Merge into this profile' }).click();
    expect(await service.database.db.selectFrom('customers').select('id').where('id', '=', duplicateId).execute()).toHaveLength(1);
    await summary.getByRole('button', { name: 'Confirm merge' }).click();
    await expect.poll(() => summary.locator('.confirmation').innerText()).toContain(`Merged ${duplicateId} into ${customerId}`);
    expect(await service.database.db.selectFrom('customers').select('id').where('id', '=', duplicateId).execute()).toEqual([]);
    expect(await service.database.db.selectFrom('profile_merges').select('from_customer_id').where('into_customer_id', '=', customerId!).execute()).toEqual([{ from_customer_id: duplicateId }]);
    await expect.poll(() => summary.getByRole('list', { name: 'Contacts' }).innerText()).toContain('nadia.k@example.net');
    expect(errors).toEqual([]);
    await page.close();
  });
});
