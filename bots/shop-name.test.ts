import { describe, expect, test, vi } from 'vitest';
import { DEMO_FIXTURES as ADA } from '../db/shop/demo.js';
import { sharedHarness } from '../test/conversation.js';

/** The shop's name is configuration (SHOP_NAME): what customers read names their shop, not the demo's. */
describe('SHOP_NAME', () => {
  const harness = sharedHarness({ env: { SHOP_NAME: 'Acme Electronics' } });

  test('the verification code and the password-reset email name the configured shop, never the demo shop', async () => {
    const c = await harness().conversation({ channel: 'text' });
    await c.send(`where is my order ${ADA.returnableOrder}`).expectReply(/6-digit code/);
    // Sent by a worker once the turn has committed.
    const code = await vi.waitFor(async () => (await harness().outbox.latest(5)).find((m) => m.recipient === ADA.email && /code/.test(m.subject ?? '')) ?? Promise.reject(new Error('no code yet')));
    expect(code?.subject).toBe('Your Acme Electronics verification code');
    expect(code?.body).toMatch(/^Your Acme Electronics verification code is \d{6}\./);

    const reset = await harness().conversation({ channel: 'text' });
    await reset.send(`I forgot my password, my email is ${ADA.email}`).expectReply(/reset/i);
    const email = await vi.waitFor(async () => (await harness().outbox.latest(5)).find((m) => m.recipient === ADA.email && /password/i.test(m.subject ?? '')) ?? Promise.reject(new Error('no reset email yet')));
    expect(`${email?.subject ?? ''} ${email?.body ?? ''}`).toMatch(/Acme Electronics/);
    expect(`${code?.body ?? ''} ${email?.subject ?? ''} ${email?.body ?? ''}`).not.toMatch(/Voltline/);
  });
});
