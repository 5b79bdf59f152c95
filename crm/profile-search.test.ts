import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { DATABASE_KINDS, openTestDatabase } from '../test/databases.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';
import { seedDemoShop } from '../db/shop/seed.js';
import { DEMO_PROFILES, seedDemoProfiles } from './profile-demo.js';
import { searchProfiles } from './profile-search.js';

describe.each(DATABASE_KINDS)('profile search (%s)', (kind) => {
  let handle: Awaited<ReturnType<typeof openTestDatabase>>;
  const names = async (q: string) => (await searchProfiles(handle.db, 'name', q, 'US')).map((p) => p.name);
  beforeAll(async () => {
    handle = await openTestDatabase(kind);
    await seedDemoShop(handle.db);
    await seedDemoProfiles(handle.db);
  }, 60_000);
  afterAll(async () => {
    await handle.dispose();
  });

  test.each([
    ['the exact name', 'Jon Smith', 'Jon Smith'],
    ['a typo', 'Jon Smiht', 'Jon Smith'],
    ['swapped letters', 'Jhon Smith', 'Jon Smith'],
    ['no accent for an accented name', 'Joan Smith', 'Joán Smith'],
    ['lower case and no accents', 'maria garcia', 'María García'],
    ['a typo in a shop customer', 'ada lovlace', 'Ada Lovelace'],
    ['a missing letter', 'Grace Hoper', 'Grace Hopper'],
  ])('a name search with %s ranks the person first (%s)', async (_what, q, first) => {
    expect((await names(q))[0]).toBe(first);
  });

  test('similar names are all listed, the closest first', async () => {
    const found = await names('Jon Smith');
    expect(found.slice(0, 3)).toEqual(['Jon Smith', 'Joán Smith', 'John Smyth']);
  });

  test('part of a name finds everyone whose name has it', async () => {
    const found = await names('Smi');
    expect(found).toEqual(expect.arrayContaining(['Jon Smith', 'Joán Smith']));
    expect(found).not.toContain('Ada Lovelace');
  });

  test('a name nobody resembles finds nobody', async () => {
    expect(await names('Zebulon Quartermaine')).toEqual([]);
  });

  test('results are masked and tell people apart', async () => {
    const [jon] = await searchProfiles(handle.db, 'name', 'Jon Smith', 'US');
    expect(jon).toEqual({ customerId: 'C2001', name: 'Jon Smith', email: 'j***@example.com', phone: '+1******0181', accountId: 'A700101', vip: false, shared: false, lastContact: null });
    expect(JSON.stringify(jon)).not.toContain('jon.smith@');
  });

  test.each(['+14155550101', '+1 (415) 555-0101', '415.555.0101', '4155550101', '(415) 555 0101', '1-415-555-0101'])('a phone written as %s finds Ada', async (q) => {
    const found = await searchProfiles(handle.db, 'phone', q, 'US');
    expect(found.map((p) => p.customerId)).toEqual([DEMO_FIXTURES.customerId]);
    expect(found[0]?.shared).toBe(false);
  });

  test('a household landline lists the three profiles that share it, each marked shared', async () => {
    const found = await searchProfiles(handle.db, 'phone', '415-555-0165', 'US');
    expect(found.map((p) => p.name).sort()).toEqual(['Luis García', 'María García', 'Sofía García']);
    expect(found.every((p) => p.shared)).toBe(true);
  });

  test.each([
    ['in capitals', 'JON.SMITH@EXAMPLE.COM', 'C2001'],
    ['with spaces around it', '  ada@example.com ', DEMO_FIXTURES.customerId],
    ["as a customer's second address", 'Priya.Raman@work.example.org', DEMO_PROFILES.twoEmails.id],
    ["as the same customer's first address", 'priya@example.com', DEMO_PROFILES.twoEmails.id],
  ])('an email %s finds its profile', async (_what, q, id) => {
    expect((await searchProfiles(handle.db, 'email', q, 'US')).map((p) => p.customerId)).toEqual([id]);
  });

  test('an account ID and a Customer ID match exactly, in any case', async () => {
    expect((await searchProfiles(handle.db, 'accountId', 'a700101', 'US')).map((p) => p.name)).toEqual(['Jon Smith']);
    expect((await searchProfiles(handle.db, 'customerId', 'c2002', 'US')).map((p) => p.name)).toEqual(['John Smyth']);
    expect(await searchProfiles(handle.db, 'accountId', 'A70010', 'US')).toEqual([]);
  });

  test('a phone search with no number in it, or an email search with no address, is refused naming the search term', async () => {
    await expect(searchProfiles(handle.db, 'phone', 'call me', 'US')).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION', status: 422, details: [{ path: 'query.q' }] });
    await expect(searchProfiles(handle.db, 'email', 'jon smith', 'US')).rejects.toMatchObject({ code: 'SB_ERR_VALIDATION', status: 422, details: [{ path: 'query.q' }] });
  });

  test('search text is data: quotes and LIKE wildcards match nothing special', async () => {
    expect(await names("%' or 1=1 --")).toEqual([]);
    expect(await names('%')).toEqual([]);
  });
});
