import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { CustomerRow } from '../db/schema.js';
import { ThrottleRepository } from '../db/throttles.js';
import { openTestDatabase } from '../test/databases.js';
import { VerificationBudget } from './verification-budget.js';
import { CustomerVerifier } from './verification.js';

describe('where a one-time code goes', () => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  let budget: VerificationBudget;
  beforeAll(async () => {
    handle = await openTestDatabase('pglite');
    budget = new VerificationBudget({ counters: new ThrottleRepository(handle.db), secret: 's'.repeat(32), limits: { maxAttempts: 5, maxAttemptsPerIp: 20, sendsPerHour: 5 } });
  });
  afterAll(async () => {
    await handle.dispose();
  });

  const customer: CustomerRow = { id: 'C1001', account_id: 'A700001', name: 'Ada Lovelace', email: 'ada@example.com', phone: '+14155550101', plan: 'premium', preferred_channel: 'sms', vip: true, created_at: new Date() };
  const verifier = (smsDelivers: boolean) => new CustomerVerifier({ secret: 's'.repeat(32), budget, ttlSeconds: 600, shopName: 'Voltline', smsDelivers });
  let n = 0;
  const subject = () => ({ conversationId: `c${++n}`, contactId: `k${n}`, clientIp: null });

  test('a customer who identified by phone gets an SMS when SMS can be delivered', async () => {
    const started = await verifier(true).challenge(subject(), { customer, claimKeys: [], via: 'sms' }, new Date());
    expect(started).toMatchObject({ kind: 'issued', challenge: { via: 'sms' }, notification: { transport: 'sms', to: '+14155550101' } });
  });

  test('without an SMS transport the code goes to the email on file, and the challenge says email (so the reply does)', async () => {
    const started = await verifier(false).challenge(subject(), { customer, claimKeys: [], via: 'sms' }, new Date());
    expect(started).toMatchObject({ kind: 'issued', challenge: { via: 'email' }, notification: { transport: 'email', to: 'ada@example.com' } });
  });

  test('a claim that matched nobody reads the same: no notification, the same via', async () => {
    const started = await verifier(false).challenge(subject(), { customer: null, claimKeys: [], via: 'sms' }, new Date());
    expect(started).toMatchObject({ kind: 'issued', challenge: { via: 'email' }, notification: null });
  });
});
