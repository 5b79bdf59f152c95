import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CaseDetailSchema } from '../core/case-api.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { eventually } from '../jobs/test-fixtures/delivery.js';
import { AgentClient, demoAgents } from '../test/agent-client.js';
import { signInToConsole, startConsoleInChromium, watchErrors } from '../test/browser.js';
import { ChatClient } from '../test/chat-client.js';
import type { TestService } from '../test/service.js';

const ADA = DEMO_FIXTURES;

describe('case follow-ups in the agent console, in Chromium (embedded)', () => {
  let service: TestService;
  let browser: Browser;
  let clock = new Date();
  beforeAll(async () => {
    ({ service, browser } = await startConsoleInChromium({ ROUTING_AUTO_ASSIGN: 'false' }, { now: () => clock }));
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  test('New case offers the open case first; resolving it asks for a rating, which the customer gives on the linked page; a due follow-up is a dismissible reminder', async () => {
    const demo = await demoAgents(service.env.DATA_DIR!);
    const api = await new AgentClient(service.url).login(demo.supervisor.email, demo.supervisor.password);
    const created = await api.post('/cases', { template: 'device-fault', fields: { serialNumber: ADA.offlineCameraSerial, fault: 'Camera reboots every night' }, profiles: [{ customerId: ADA.customerId, role: 'primary' }] });
    const number = CaseDetailSchema.parse(created.body).case.number;
    const customer = await new ChatClient(service.url).start();
    await customer.say('my camera keeps rebooting');
    await customer.say('talk to a person');
    const { conversationId } = await customer.history();

    const page = await browser.newPage();
    const errors = watchErrors(page);
    await signInToConsole(page, service.url, demo.supervisor);
    await page.getByRole('list', { name: 'Queue' }).getByRole('listitem').last().getByRole('button').first().click();
    const profiles = page.getByRole('region', { name: 'Customer profiles' });
    await profiles.getByLabel('Search by').selectOption({ label: 'Name' });
    await profiles.getByLabel('Search term').fill('Ada Lovelace');
    await profiles.getByRole('button', { name: 'Search' }).click();
    await profiles.getByRole('list', { name: 'Matching profiles' }).getByRole('listitem').first().getByRole('button').click();
    const cases = profiles.getByRole('region', { name: /Ada Lovelace/ }).getByRole('region', { name: 'Cases' });

    // An existing issue: the open case is offered before the form, and the contact joins it.
    await cases.getByRole('button', { name: 'New case' }).click();
    await expect.poll(() => cases.getByRole('list', { name: 'Open cases' }).innerText()).toContain(number);
    await cases.getByRole('button', { name: `Add this contact to ${number}` }).click();
    await expect.poll(() => cases.getByRole('status').first().innerText()).toContain(number);
    expect(await service.database.db.selectFrom('case_contacts').select('conversation_id').where('case_id', '=', number).execute()).toEqual([{ conversation_id: conversationId }]);

    await cases.getByRole('button', { name: `Open ${number}` }).click();
    const detail = cases.getByRole('region', { name: `Case ${number}` });
    // Offered only for a change to resolved.
    expect(await detail.getByLabel('Ask for satisfaction rating').count()).toBe(0);
    await detail.getByLabel('Case status').selectOption({ label: 'Resolved' });
    await detail.getByLabel('Ask for satisfaction rating').check();
    await detail.getByRole('button', { name: 'Save case' }).click();
    await expect.poll(() => detail.getByRole('status').innerText()).toBe('Case saved. Satisfaction rating asked of Ada Lovelace by email (a***@example.com).');
    await expect.poll(() => detail.getByRole('table', { name: 'Satisfaction ratings' }).innerText()).toContain('no answer yet');

    // The customer follows the emailed link for "4", adds a comment and sends it.
    const mail = await eventually(
      async () => service.database.db.selectFrom('outbox_messages').select('body').where('recipient', '=', ADA.email).where('subject', '=', `How did we do? Your case ${number}`).execute(),
      (rows) => rows.length === 1,
      60_000,
    );
    const link = /(http\S+\/satisfaction\/\S+\?score=4)/.exec(mail[0]!.body)![1]!;
    const survey = await browser.newPage();
    // The shop's pages have no icon: the browser's own /favicon.ico request is the one 404 allowed.
    const failed: string[] = [];
    survey.on('response', (r) => {
      if (r.status() >= 400 && new URL(r.url()).pathname !== '/favicon.ico') failed.push(`${r.status()} ${r.url()}`);
    });
    survey.on('pageerror', (e) => failed.push(e.message));
    await survey.goto(link);
    expect(await survey.getByLabel('4 - Good').isChecked()).toBe(true);
    await survey.getByLabel('Anything you would like to add? (optional)').fill('Sorted in one call');
    await survey.getByRole('button', { name: 'Send rating' }).click();
    await survey.getByRole('heading', { name: 'Thank you' }).waitFor();
    expect(failed).toEqual([]);

    await detail.getByRole('button', { name: 'Refresh' }).click();
    await expect.poll(() => detail.getByRole('table', { name: 'Satisfaction ratings' }).innerText()).toMatch(/4 \/ 5\s+Sorted in one call/);
    await expect.poll(() => detail.getByRole('list', { name: 'Timeline' }).innerText()).toContain('Ada Lovelace rated the help 4 out of 5');

    // A follow-up falls due: the owner sees it under Reminders and dismisses it.
    const set = await api.post(`/cases/${number}/follow-up`, { at: new Date(clock.getTime() + 3_600_000).toISOString(), note: 'Check the camera stopped rebooting' });
    clock = new Date(clock.getTime() + 2 * 3_600_000);
    expect(await service.cases.followUps.due((set.body as { id: string }).id)).toEqual({ kind: 'done' });
    const reminders = page.getByRole('region', { name: 'Reminders' });
    await reminders.getByRole('button', { name: 'Refresh reminders' }).click();
    const due = reminders.getByRole('list', { name: 'Due follow-ups' }).getByRole('listitem').filter({ hasText: 'Check the camera stopped rebooting' });
    await expect.poll(() => due.count()).toBe(1);
    await due.getByRole('button', { name: 'Dismiss' }).click();
    await expect.poll(() => reminders.innerText()).toContain('No reminders.');
    expect(await service.database.db.selectFrom('case_reminders').select('dismissed_at').where('case_id', '=', number).execute()).toEqual([{ dismissed_at: expect.any(Date) }]);
    expect(errors).toEqual([]);
    await page.close();
    await survey.close();
  });
});
