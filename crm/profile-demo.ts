import { sql, type Kysely } from 'kysely';
import type { CustomerChannel } from '../core/message.js';
import type { Database } from '../db/schema.js';
import { DEMO_FIXTURES } from '../db/shop/demo.js';

/**
 * Demo profiles that make search realistic (docs/profiles-and-cases.md, "Demo profiles"): people
 * with similar names, a household landline three profiles share, and a customer with two emails.
 * 555-0100…0199 numbers are fiction, so no real person is ever texted.
 */
export const DEMO_PROFILES = {
  similarNames: [
    { id: 'C2001', name: 'Jon Smith', email: 'jon.smith@example.com', phone: '+14155550181', accountId: 'A700101' },
    { id: 'C2002', name: 'John Smyth', email: 'john.smyth@example.org', phone: '+14155550182', accountId: 'A700102' },
    { id: 'C2003', name: 'Joán Smith', email: 'joan.smith@example.net', phone: null, accountId: 'A700103' },
  ],
  householdLandline: '+14155550165',
  household: [
    { id: 'C2004', name: 'María García', email: 'maria.garcia@example.com', accountId: 'A700104' },
    { id: 'C2005', name: 'Luis García', email: 'luis.garcia@example.com', accountId: 'A700105' },
    { id: 'C2006', name: 'Sofía García', email: 'sofia.garcia@example.com', accountId: 'A700106' },
  ],
  twoEmails: { id: 'C2007', name: 'Priya Raman', email: 'priya@example.com', secondEmail: 'priya.raman@work.example.org', phone: '+14155550166', accountId: 'A700107' },
} as const;

/** Adds the demo profiles to the demo shop, once (each is skipped when its Customer ID exists); a shop that is not the demo gets none. */
export async function seedDemoProfiles(db: Kysely<Database>): Promise<void> {
  const d = DEMO_PROFILES;
  const demoShop = await db.selectFrom('customers').select('id').where('id', '=', DEMO_FIXTURES.customerId).where('email', '=', DEMO_FIXTURES.email).executeTakeFirst();
  if (demoShop === undefined) return;
  const customer = (c: { id: string; name: string; email: string; phone: string | null; accountId: string }, preferred: CustomerChannel) => ({
    id: c.id, account_id: c.accountId, name: c.name, email: c.email, phone: c.phone, plan: 'standard', preferred_channel: preferred, vip: false,
  });
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('customers')
      .values([
        ...d.similarNames.map((c) => customer(c, 'email')),
        ...d.household.map((c) => customer({ ...c, phone: d.householdLandline }, 'email')),
        customer(d.twoEmails, 'sms'),
      ])
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
    const contacts = [
      ...d.similarNames.flatMap((c) => [{ customer_id: c.id, kind: 'email' as const, value: c.email, shared: false }, ...(c.phone !== null ? [{ customer_id: c.id, kind: 'phone' as const, value: c.phone, shared: false }] : [])]),
      ...d.household.flatMap((c) => [{ customer_id: c.id, kind: 'email' as const, value: c.email, shared: false }, { customer_id: c.id, kind: 'phone' as const, value: d.householdLandline, shared: true }]),
      { customer_id: d.twoEmails.id, kind: 'email' as const, value: d.twoEmails.email, shared: false },
      { customer_id: d.twoEmails.id, kind: 'email' as const, value: d.twoEmails.secondEmail, shared: false },
      { customer_id: d.twoEmails.id, kind: 'phone' as const, value: d.twoEmails.phone, shared: false },
    ];
    await trx.insertInto('customer_contacts').values(contacts).onConflict((oc) => oc.doNothing()).execute();
    await sql`insert into customer_profile_fields (customer_id, values)
      select id, '{}'::jsonb from customers where id in (${sql.join([...d.similarNames, ...d.household, d.twoEmails].map((c) => c.id))})
      on conflict do nothing`.execute(trx);
  });
}
