import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { PasswordResetTokens } from '../bots/flows/password-reset-tokens.js';
import { CustomerCredentials } from '../db/customer-credentials.js';
import { launchChromium } from '../test/browser.js';
import { ChatClient, textOf } from '../test/chat-client.js';
import { DEPLOYMENTS, startTestService, type TestService } from '../test/service.js';
import { verifyPassword } from './agent/passwords.js';

interface OutboxEntry {
  recipient: string;
  subject: string;
  body: string;
}

const NEW_PASSWORD = 'correct horse battery staple';

async function resetLinkFromChat(service: TestService, email: string): Promise<string> {
  const client = await new ChatClient(service.url).start();
  await client.say('I forgot my password');
  expect(textOf(await client.say(email))).toMatch(/we've sent a reset link/);
  const { messages } = (await (await fetch(`${service.url}/dev/outbox.json`)).json()) as { messages: OutboxEntry[] };
  const mail = messages.filter((m) => m.recipient === email && m.subject.includes('Reset')).at(-1);
  const link = /(http:\/\/\S+\/account\/reset\?token=[A-Za-z0-9_-]{43})/.exec(mail?.body ?? '')?.[1];
  if (link === undefined) throw new Error('no reset link in the email');
  return link;
}

async function customerId(service: TestService, email: string): Promise<string> {
  const row = await service.database.db.selectFrom('customers').select('id').where('email', '=', email).executeTakeFirstOrThrow();
  return row.id;
}

/** Posts the form the way the page does: same origin, urlencoded. */
function postForm(service: TestService, fields: Record<string, string>, origin = service.url): Promise<Response> {
  return fetch(`${service.url}/account/reset`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin },
    body: new URLSearchParams(fields).toString(),
  });
}

describe('the password-reset page the chat links to, in a real browser', () => {
  let service: TestService;
  let browser: Browser;
  beforeAll(async () => {
    service = await startTestService('embedded');
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await service?.dispose();
  });

  test('the link from the chat opens a form that sets the password once, without any script', async () => {
    const link = await resetLinkFromChat(service, 'ada@example.com');
    const credentials = new CustomerCredentials(service.database.db);
    const ada = await customerId(service, 'ada@example.com');
    expect(await credentials.passwordOf(ada)).toBeNull();

    const page = await browser.newPage({ javaScriptEnabled: false });
    const opened = await page.goto(link);
    expect(opened?.status()).toBe(200);
    expect(opened?.headers()['cache-control']).toBe('no-store');
    expect(await page.locator('script').count()).toBe(0);
    await page.getByLabel('New password').fill(NEW_PASSWORD);
    await page.getByLabel('Confirm password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).innerText()).toBe('Your password has been changed');

    const stored = await credentials.passwordOf(ada);
    expect(stored?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(stored?.passwordHash).not.toContain(NEW_PASSWORD);
    expect(await verifyPassword(stored!.passwordHash, NEW_PASSWORD)).toBe(true);

    // The same link again: refused, and the password stays the one just set.
    const again = await page.goto(link);
    expect(again?.status()).toBe(410);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('This link was already used');
    expect(await page.getByLabel('New password').count()).toBe(0);
    const token = new URL(link).searchParams.get('token')!;
    const replay = await postForm(service, { token, password: 'a different password 2', confirm: 'a different password 2' });
    expect(replay.status).toBe(410);
    expect(await replay.text()).toContain('Your password has not been changed');
    expect((await credentials.passwordOf(ada))?.passwordHash).toBe(stored!.passwordHash);
    await page.close();
  });
});

describe.each(DEPLOYMENTS)('password-reset page refusals (%s)', (deployment) => {
  let service: TestService;
  let credentials: CustomerCredentials;
  beforeAll(async () => {
    service = await startTestService(deployment);
    credentials = new CustomerCredentials(service.database.db);
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test('an expired link is refused as expired, on the page and when posted, and changes nothing', async () => {
    const grace = await customerId(service, 'grace@example.com');
    // Issued two hours ago on the service's own token store: it lived 60 minutes.
    const past = new PasswordResetTokens(service.state.snapshots, 60 * 60 * 1000, () => new Date(Date.now() - 2 * 60 * 60 * 1000));
    const token = await past.issue(grace);
    const page = await fetch(`${service.url}/account/reset?token=${token}`);
    expect(page.status).toBe(410);
    const html = await page.text();
    expect(html).toContain('This link has expired');
    expect(html).not.toContain('Set password');
    const posted = await postForm(service, { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(posted.status).toBe(410);
    expect(await credentials.passwordOf(grace)).toBeNull();
  });

  test('a forged or mangled token is refused as not valid, escaped, and changes nothing', async () => {
    const forged = 'A'.repeat(43);
    const page = await fetch(`${service.url}/account/reset?token=${forged}`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('This link is not valid');
    const hostile = await fetch(`${service.url}/account/reset?token=${encodeURIComponent('"><script>alert(1)</script>')}`);
    expect(hostile.status).toBe(404);
    expect((await hostile.text()).toLowerCase()).not.toContain('<script');
    const posted = await postForm(service, { token: forged, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(posted.status).toBe(404);
    const stored = await service.database.db.selectFrom('customer_credentials').select('customer_id').execute();
    expect(stored).toEqual([]);
  });

  test('a form posted from another site, or with passwords that differ or are short, keeps the link usable', async () => {
    const link = await resetLinkFromChat(service, 'ada@example.com');
    const token = new URL(link).searchParams.get('token')!;
    const ada = await customerId(service, 'ada@example.com');

    const crossSite = await postForm(service, { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }, 'https://evil.example');
    expect(crossSite.status).toBe(403);
    const noOrigin = await fetch(`${service.url}/account/reset`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ token, password: NEW_PASSWORD, confirm: NEW_PASSWORD }).toString(),
    });
    expect(noOrigin.status).toBe(403);

    const mismatch = await postForm(service, { token, password: NEW_PASSWORD, confirm: `${NEW_PASSWORD}!` });
    expect(mismatch.status).toBe(422);
    expect(await mismatch.text()).toContain('The two passwords are different');
    const short = await postForm(service, { token, password: 'short', confirm: 'short' });
    expect(short.status).toBe(422);
    expect(await short.text()).toContain('at least 10 characters');
    expect(await credentials.passwordOf(ada)).toBeNull();

    // Still the one valid link: it sets the password now.
    const ok = await postForm(service, { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(ok.status).toBe(200);
    expect(await verifyPassword((await credentials.passwordOf(ada))!.passwordHash, NEW_PASSWORD)).toBe(true);
  });

  test('an older link stops working once a newer one is sent', async () => {
    const older = await resetLinkFromChat(service, 'grace@example.com');
    await resetLinkFromChat(service, 'grace@example.com');
    const page = await fetch(older);
    expect(page.status).toBe(410);
    expect(await page.text()).toContain('A newer link was sent');
  });

  // Last: it spends this address's page budget.
  test('page views from one address are throttled', async () => {
    let status = 200;
    for (let i = 0; i < 40 && status !== 429; i += 1) status = (await fetch(`${service.url}/account/reset?token=${'B'.repeat(43)}`)).status;
    expect(status).toBe(429);
  });
});

describe('with PASSWORD_RESET_URL', () => {
  let service: TestService;
  beforeAll(async () => {
    service = await startTestService('embedded', { PASSWORD_RESET_URL: 'https://shop.example.com/account/forgot-password' });
  });
  afterAll(async () => {
    await service?.dispose();
  });

  test("the email links to the shop's own page and the demo page is not served", async () => {
    const client = await new ChatClient(service.url).start();
    await client.say('I forgot my password');
    expect(textOf(await client.say('ada@example.com'))).toMatch(/If an account exists for that address/);
    const { messages } = (await (await fetch(`${service.url}/dev/outbox.json`)).json()) as { messages: OutboxEntry[] };
    const mail = messages.find((m) => m.subject.includes('Reset'));
    expect(mail?.body).toContain('https://shop.example.com/account/forgot-password');
    expect(mail?.body).not.toContain('/account/reset');
    expect((await fetch(`${service.url}/account/reset?token=${'A'.repeat(43)}`)).status).toBe(404);
  });
});
