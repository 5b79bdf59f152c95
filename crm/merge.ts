import { sql, type Kysely } from 'kysely';
import { ALL_TEAMS_ROLES, type AgentProfile } from '../core/agent-api.js';
import { SwitchboardError } from '../core/errors.js';
import type { MergeResult } from '../core/profile-api.js';
import type { Database } from '../db/schema.js';

/** The same lock as profile writes (crm/profiles.ts): a merge never meets a create of the same person half way. */
const PROFILE_WRITES_LOCK = 7210117;

/**
 * Merges the profile `from` into `into` (docs/profiles-and-cases.md, "Merging duplicates"), in
 * one transaction: its contacts (and so their conversations, notes and history), channel
 * identities, emails and phones, associated conversations, cases (and their case_profiles links
 * and deliveries) and extra field values move to
 * the survivor, `from` is deleted, and a profile_merges row records who merged what when.
 * A VIP on either side takes a supervisor or admin. A profile holding the shop's own records
 * (orders, devices, returns: the shop import owns those) is never the one merged away.
 */
export async function mergeProfiles(db: Kysely<Database>, input: { into: string; from: string; by: AgentProfile }): Promise<MergeResult> {
  const { into, from, by } = input;
  if (into === from) throw new SwitchboardError('SB_ERR_VALIDATION', 'A profile cannot be merged into itself', [{ path: 'body.from', message: 'must be another profile' }], { status: 422 });
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${PROFILE_WRITES_LOCK})`.execute(trx);
    const rows = await trx.selectFrom('customers').selectAll().where('id', 'in', [into, from]).forUpdate().execute();
    const survivor = rows.find((r) => r.id === into);
    const merged = rows.find((r) => r.id === from);
    if (survivor === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such customer profile');
    if (merged === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'The profile to merge does not exist (already merged?)', [{ path: 'body.from', message: 'no profile has this Customer ID' }]);
    if ((survivor.vip || merged.vip) && !ALL_TEAMS_ROLES.includes(by.role)) {
      throw new SwitchboardError('SB_ERR_FORBIDDEN', 'Merging a VIP profile takes a supervisor or an admin');
    }
    const { rows: held } = await sql<{ orders: number; devices: number; returns: number }>`
      select (select count(*)::int from orders where customer_id = ${from}) as orders,
             (select count(*)::int from devices where customer_id = ${from}) as devices,
             (select count(*)::int from returns where customer_id = ${from}) as returns`.execute(trx);
    const shop = held[0] ?? { orders: 0, devices: 0, returns: 0 };
    if (shop.orders + shop.devices + shop.returns > 0) {
      throw new SwitchboardError('SB_ERR_CONFLICT', `${from} holds the shop's own records (orders, devices or returns): merge the other way, ${into} into ${from}`);
    }

    const count = async (query: Promise<{ numUpdatedRows?: bigint; numInsertedOrUpdatedRows?: bigint; numDeletedRows?: bigint } | undefined>) => {
      const r = await query;
      return Number(r?.numUpdatedRows ?? r?.numInsertedOrUpdatedRows ?? r?.numDeletedRows ?? 0n);
    };
    const { rows: conv } = await sql<{ n: number }>`
      select count(*)::int as n from conversations c join contacts ct on ct.id = c.contact_id where ct.customer_id = ${from}`.execute(trx);
    const { rows: idents } = await sql<{ n: number }>`
      select count(*)::int as n from contact_identities i join contacts ct on ct.id = i.contact_id where ct.customer_id = ${from}`.execute(trx);
    const contacts = await count(trx.updateTable('contacts').set({ customer_id: into }).where('customer_id', '=', from).executeTakeFirst());
    const cases = await count(trx.updateTable('cases').set({ customer_id: into }).where('customer_id', '=', from).executeTakeFirst());
    // The cases module's links (migration 0018): a case linked to both keeps the survivor's role.
    const { rows: caseLinks } = await sql<{ n: number }>`
      with inserted as (
        insert into case_profiles (case_id, customer_id, role, notify, added_by, added_at)
        select case_id, ${into}, role, notify, added_by, added_at from case_profiles where customer_id = ${from}
        on conflict (case_id, customer_id) do nothing
        returning 1
      ) select count(*)::int as n from inserted`.execute(trx);
    await sql`update case_deliveries set customer_id = ${into} where customer_id = ${from}`.execute(trx);
    // The merged profile's emails and phones, its primary ones included, become the survivor's.
    const { rows: movedContacts } = await sql<{ n: number }>`
      with source as (
        select kind, value, shared from customer_contacts where customer_id = ${from}
        union select 'email', lower(email), false from customers where id = ${from} and email <> ''
        union select 'phone', phone, false from customers where id = ${from} and phone is not null
      ), inserted as (
        insert into customer_contacts (customer_id, kind, value, shared)
        select ${into}, kind, value, bool_or(shared) from source group by kind, value
        on conflict (customer_id, kind, value) do update set shared = customer_contacts.shared or excluded.shared
        returning 1
      ) select count(*)::int as n from inserted`.execute(trx);
    const { rows: movedAssociations } = await sql<{ n: number }>`
      with inserted as (
        insert into profile_associations (customer_id, conversation_id, associated_by, created_at)
        select ${into}, conversation_id, associated_by, created_at from profile_associations where customer_id = ${from}
        on conflict (customer_id, conversation_id) do nothing
        returning 1
      ) select count(*)::int as n from inserted`.execute(trx);
    // Extra fields: the survivor's values stay, the merged profile's fill the gaps.
    const extras = await trx.selectFrom('customer_profile_fields').select(['customer_id', 'values']).where('customer_id', 'in', [into, from]).execute();
    const mine = extras.find((e) => e.customer_id === into)?.values ?? {};
    const theirs = extras.find((e) => e.customer_id === from)?.values ?? {};
    const combined = { ...theirs, ...mine };
    await trx
      .insertInto('customer_profile_fields')
      .values({ customer_id: into, values: JSON.stringify(combined) })
      .onConflict((oc) => oc.column('customer_id').doUpdateSet({ values: JSON.stringify(combined), updated_at: new Date() }))
      .execute();
    // The survivor keeps its primary email/phone; an empty one takes the merged profile's.
    await trx
      .updateTable('customers')
      .set({ email: survivor.email !== '' ? survivor.email : merged.email, phone: survivor.phone ?? merged.phone, vip: survivor.vip || merged.vip })
      .where('id', '=', into)
      .execute();

    const moved = {
      conversations: conv[0]?.n ?? 0,
      contacts,
      channelIdentities: idents[0]?.n ?? 0,
      customerContacts: movedContacts[0]?.n ?? 0,
      associatedConversations: movedAssociations[0]?.n ?? 0,
      cases,
      caseLinks: caseLinks[0]?.n ?? 0,
      extraFields: Object.keys(theirs).filter((k) => !Object.hasOwn(mine, k)).length,
    };
    await trx.deleteFrom('customers').where('id', '=', from).execute();
    const snapshot = { id: merged.id, name: merged.name, email: merged.email, phone: merged.phone, accountId: merged.account_id, plan: merged.plan, vip: merged.vip, extras: theirs, createdAt: new Date(merged.created_at).toISOString() };
    const audit = await trx
      .insertInto('profile_merges')
      .values({ from_customer_id: from, into_customer_id: into, merged_by: by.id, from_snapshot: JSON.stringify(snapshot), moved: JSON.stringify(moved) })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { into, from, moved, mergeId: String(audit.id) };
  });
}
