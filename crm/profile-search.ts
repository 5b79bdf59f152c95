import { sql, type Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import { SwitchboardError } from '../core/errors.js';
import { maskRecipient } from '../core/notifier.js';
import type { ListedProfile, ProfileSearchKey } from '../core/profile-api.js';
import type { Database } from '../db/schema.js';
import { customersByContact, normalizeEmail, normalizePhone } from './contact-lookup.js';

/** Enough to choose from; a search that matches more is narrowed by the agent. */
const RESULT_LIMIT = 20;
/** Below this a name is not a match (pg_trgm's own default for `%` is 0.3). */
const NAME_SIMILARITY = 0.3;

type Match = { customerId: string; shared: boolean };

/**
 * Finds profiles by one key (docs/profiles-and-cases.md, "Search"), best match first:
 * a name fuzzily (typos, accents, partial names: trigram similarity over lower(unaccent(name)),
 * indexed), an email case-insensitively, a phone in any formatting (E.164 in `region`), an
 * account or Customer ID exactly. A phone or email that is no phone or email is a 422 naming `q`.
 */
export async function searchProfiles(db: Kysely<Database>, by: ProfileSearchKey, q: string, region: CountryCode): Promise<ListedProfile[]> {
  const matches = await matchesFor(db, by, q.trim(), region);
  if (matches.length === 0) return [];
  return listProfiles(db, matches);
}

async function matchesFor(db: Kysely<Database>, by: ProfileSearchKey, q: string, region: CountryCode): Promise<Match[]> {
  switch (by) {
    case 'name':
      return nameMatches(db, q);
    case 'email': {
      if (normalizeEmail(q) === null) throw invalidQuery('must be an email address like name@example.com');
      return customersByContact(db, 'email', q, region);
    }
    case 'phone': {
      if (normalizePhone(q, region) === null) throw invalidQuery('must be a phone number, e.g. +1 415 555 0101 or 415.555.0101');
      return customersByContact(db, 'phone', q, region);
    }
    case 'accountId': {
      const rows = await db.selectFrom('customers').select('id').where(sql<boolean>`upper(account_id) = ${q.toUpperCase()}`).orderBy('created_at').limit(RESULT_LIMIT).execute();
      return rows.map((r) => ({ customerId: r.id, shared: false }));
    }
    case 'customerId': {
      const rows = await db.selectFrom('customers').select('id').where(sql<boolean>`upper(id) = ${q.toUpperCase()}`).limit(1).execute();
      return rows.map((r) => ({ customerId: r.id, shared: false }));
    }
    default: {
      const never: never = by;
      return never;
    }
  }
}

async function nameMatches(db: Kysely<Database>, q: string): Promise<Match[]> {
  // `%` and `<%` use the trigram index; the LIKE catches a short fragment ("Smi") trigram scores miss.
  const fragment = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const { rows } = await sql<{ id: string }>`
    select id from (
      select id, created_at,
        greatest(similarity(sb_name_key(name), sb_name_key(${q})), word_similarity(sb_name_key(${q}), sb_name_key(name))) as score,
        sb_name_key(name) like sb_name_key(${fragment}) as contains,
        sb_name_key(name) = sb_name_key(${q}) as exact
      from customers
      where sb_name_key(name) % sb_name_key(${q})
         or sb_name_key(${q}) <% sb_name_key(name)
         or sb_name_key(name) like sb_name_key(${fragment})
    ) m
    where score >= ${NAME_SIMILARITY} or contains
    order by exact desc, score desc, contains desc, created_at, id
    limit ${RESULT_LIMIT}`.execute(db);
  return rows.map((r) => ({ customerId: r.id, shared: false }));
}

/** The listed form of matched profiles, in the matches' order. */
export async function listProfiles(db: Kysely<Database>, matches: readonly Match[]): Promise<ListedProfile[]> {
  const ids = matches.map((m) => m.customerId);
  const { rows } = await sql<{ id: string; name: string; email: string; phone: string | null; account_id: string; vip: boolean; shared_phone: boolean; last_at: Date | null; last_channel: string | null }>`
    select c.id, c.name, c.email, c.phone, c.account_id, c.vip,
      exists (select 1 from customer_contacts cc where cc.customer_id = c.id and cc.shared) as shared_phone,
      last.updated_at as last_at, last.channel as last_channel
    from customers c
    left join lateral (
      select conv.updated_at, conv.channel from conversations conv
      join contacts ct on ct.id = conv.contact_id
      where ct.customer_id = c.id
         or conv.id in (select pa.conversation_id from profile_associations pa where pa.customer_id = c.id)
      order by conv.updated_at desc limit 1
    ) last on true
    where c.id in (${sql.join(ids)})`.execute(db);
  const byId = new Map(rows.map((r) => [r.id, r]));
  return matches.flatMap((m) => {
    const r = byId.get(m.customerId);
    if (r === undefined) return [];
    return [{
      customerId: r.id,
      name: r.name,
      email: r.email === '' ? null : maskRecipient('email', r.email),
      phone: r.phone === null ? null : maskRecipient('sms', r.phone),
      accountId: r.account_id === '' ? null : r.account_id,
      vip: r.vip,
      shared: m.shared || r.shared_phone,
      lastContact: r.last_at === null || r.last_channel === null ? null : { at: new Date(r.last_at).toISOString(), channel: r.last_channel },
    }];
  });
}

function invalidQuery(message: string): SwitchboardError {
  return new SwitchboardError('SB_ERR_VALIDATION', `The search term ${message}`, [{ path: 'query.q', message }], { status: 422 });
}
