import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { signInToConsole, startConsoleInChromium, watchErrors } from '../test/browser.js';
import { demoAgents } from '../test/agent-client.js';
import { ChatClient } from '../test/chat-client.js';
import type { TestService } from '../test/service.js';

describe('cases in the agent console, in Chromium (embedded)', () => {
  let service: TestService;
  let browser: Browser;
  beforeAll(async () => {
    ({ service, browser } = await startConsoleInChromium());
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  test('search a profile → associate with contact → new case from a template → associate the contact; View cases shows it; keyword search finds it', async () => {
    const customer = await new ChatClient(service.url).start();
    await customer.say('my camera shows no picture since the update');
    await customer.say('talk to a person');
    const { conversationId } = await customer.history();

    const demo = await demoAgents(service.env.DATA_DIR!);
    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signInToConsole(page, service.url, demo.supervisor);
    await page.getByRole('list', { name: 'Queue' }).getByRole('listitem').last().getByRole('button').first().click();

    const profiles = page.getByRole('region', { name: 'Customer profiles' });
    await profiles.getByLabel('Search by').selectOption({ label: 'Name' });
    await profiles.getByLabel('Search term').fill('Ada Lovelace');
    await profiles.getByRole('button', { name: 'Search' }).click();
    await profiles.getByRole('list', { name: 'Matching profiles' }).getByRole('listitem').first().getByRole('button').click();
    const profile = profiles.getByRole('region', { name: /Ada Lovelace/ });
    await profile.getByRole('button', { name: 'Associate with contact' }).click();
    await expect.poll(() => profile.getByRole('status').first().innerText()).toContain('associated with Ada Lovelace');

    const cases = profile.getByRole('region', { name: 'Cases' });
    await cases.getByRole('button', { name: 'New case' }).click();
    const form = cases.getByRole('form', { name: 'New case' });
    await expect.poll(() => form.getByLabel('Case template').locator('option').allInnerTexts()).toContain('Device fault');
    await form.getByLabel('Case template').selectOption({ label: 'Device fault' });
    expect(await form.locator('label[for="case-field-serialNumber"]').innerText()).toBe('Serial number *');
    expect(await form.locator('label[for="case-field-orderNumber"]').innerText()).toBe('Order number');
    await form.getByLabel('Serial number').fill('camera 1');
    await form.getByRole('button', { name: 'Create case' }).click();
    await expect.poll(() => form.getByLabel('Serial number').getAttribute('aria-invalid')).toBe('true');
    expect(await form.locator('#case-field-serialNumber-error').innerText()).toBe('Serial number must look like CAM360-000001');
    expect(await form.getByLabel('What is wrong').getAttribute('aria-invalid')).toBe('true');
    expect(await service.database.db.selectFrom('cases').select('id').where('template_id', '=', 'device-fault').execute()).toEqual([]);

    await form.getByLabel('Serial number').fill('CAM360-000001');
    await form.getByLabel('What is wrong').fill('No picture since the <b>update</b>');
    await form.getByRole('button', { name: 'Create case' }).click();
    await expect.poll(() => cases.getByRole('status').first().innerText()).toMatch(/^Case CASE-[0-9A-F]{8} created\.$/);
    const number = /CASE-[0-9A-F]{8}/.exec(await cases.getByRole('status').first().innerText())![0];

    const detail = cases.getByRole('region', { name: `Case ${number}` });
    await detail.getByRole('button', { name: 'Associate this conversation with the case' }).click();
    await expect.poll(() => detail.getByRole('status').innerText()).toBe(`This conversation is associated with case ${number}.`);
    await expect.poll(() => detail.getByRole('list', { name: 'Timeline' }).innerText()).toContain('Contact associated');
    // What the customer wrote is shown as text, never as markup.
    expect(await detail.locator('b').count()).toBe(0);

    await cases.getByRole('button', { name: 'View cases' }).click();
    await expect.poll(() => cases.getByRole('list', { name: 'Customer cases' }).innerText()).toContain(number);

    const search = page.getByRole('region', { name: 'Case search' });
    await search.getByLabel('Case keywords').fill('picture update');
    await search.getByRole('button', { name: 'Find cases' }).click();
    await expect.poll(() => search.getByRole('list', { name: 'Matching cases' }).innerText()).toContain(number);

    expect(await service.database.db.selectFrom('case_contacts').select(['case_id', 'conversation_id']).where('case_id', '=', number).execute()).toEqual([{ case_id: number, conversation_id: conversationId }]);
    expect(await service.database.db.selectFrom('case_profiles').select(['customer_id', 'role']).where('case_id', '=', number).execute()).toEqual([{ customer_id: 'C1001', role: 'primary' }]);
    expect(errors).toEqual([]);
    await page.close();
  });
});
