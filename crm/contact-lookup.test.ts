import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { seedDemoShop } from '../db/shop/seed.js';
import { customersByContact, normalizePhone } from './contact-lookup.js';

describe.each(DATABASE_KINDS)('profiles by contact (%s)', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await seedDemoShop(handle.db);
    // A household landline three profiles hold, one of whom has it as their primary phone too.
    await handle.db
      .insertInto('customer_contacts')
      .values([DEMO_FIXTURES.customerId, DEMO_FIXTURES.second.customerId, 'C1003'].map((id) => ({ customer_id: id, kind: 'phone' as const, value: '+14155550188', shared: true })))
      .execute();
  }, 60_000);
  afterAll(async () => {
    await handle.dispose();
  });

  test.each(['+14155550101', '+1 (415) 555-0101', '415.555.0101', '4155550101'])('a direct phone written as %s finds its one profile, not shared', async (phone) => {
    expect(await customersByContact(handle.db, 'phone', phone)).toEqual([{ customerId: DEMO_FIXTURES.customerId, name: DEMO_FIXTURES.name, shared: false }]);
  });

  test('an email in any case finds its profile', async () => {
    expect(await customersByContact(handle.db, 'email', '  ADA@Example.com ')).toEqual([{ customerId: DEMO_FIXTURES.customerId, name: DEMO_FIXTURES.name, shared: false }]);
  });

  test('a household landline lists the three profiles, each shared', async () => {
    const found = await customersByContact(handle.db, 'phone', '(415) 555-0188');
    expect(found.map((p) => p.customerId).sort()).toEqual([DEMO_FIXTURES.customerId, DEMO_FIXTURES.second.customerId, 'C1003'].sort());
    expect(found.every((p) => p.shared)).toBe(true);
  });

  test('a number nobody has, and text that is no number or address, find nobody', async () => {
    expect(await customersByContact(handle.db, 'phone', '+14155550199')).toEqual([]);
    expect(await customersByContact(handle.db, 'phone', "1' or '1'='1")).toEqual([]);
    expect(await customersByContact(handle.db, 'email', 'not-an-address')).toEqual([]);
  });
});

test('phone numbers are normalized to E.164 in the default region', () => {
  expect(normalizePhone('415.555.0101')).toBe('+14155550101');
  expect(normalizePhone('020 7946 0958', 'GB')).toBe('+442079460958');
  expect(normalizePhone('12')).toBeNull();
});
