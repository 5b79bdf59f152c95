import { sql, type Kysely } from 'kysely';
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import type { Database } from '../db/schema.js';

export type ContactKind = 'email' | 'phone';

/** One profile an email or phone belongs to. */
export interface ContactProfile {
  customerId: string;
  name: string;
  /**
   * The contact is not this person's alone: marked shared (a household landline), or held by
   * several profiles. A shared contact never identifies one person by itself.
   */
  shared: boolean;
}

/** Lower-case, trimmed; null when it is not an address at all. */
export function normalizeEmail(value: string): string | null {
  const email = value.trim().toLowerCase();
  return /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email) ? email : null;
}

/**
 * E.164 from any formatting ("+1 (415) 555-0101", "415.555.0101", "4155550101"); a number
 * without a country code is read in `region`. Null when no country has such a number.
 */
export function normalizePhone(value: string, region: CountryCode = 'US'): string | null {
  const trimmed = value.trim();
  if (!/^[+\d\s().\-/]{4,40}$/.test(trimmed)) return null;
  const parsed = parsePhoneNumberFromString(trimmed, region);
  return parsed?.isValid() === true ? parsed.number : null;
}

export function normalizeContact(kind: ContactKind, value: string, region: CountryCode = 'US'): string | null {
  return kind === 'email' ? normalizeEmail(value) : normalizePhone(value, region);
}

/**
 * The profiles an email or phone belongs to: its customer_contacts rows and the customers whose
 * primary email/phone it is (a shop import writes only those), each once, oldest profile first.
 * A household landline answers several, each `shared`. `value` may be in any formatting; one
 * that is not an email / a phone number answers [].
 */
export async function customersByContact(db: Kysely<Database>, kind: ContactKind, value: string, region: CountryCode = 'US'): Promise<ContactProfile[]> {
  const normalized = normalizeContact(kind, value, region);
  if (normalized === null) return [];
  const primary =
    kind === 'email'
      ? sql<boolean>`lower(c.email) = ${normalized}`
      : sql<boolean>`c.phone = ${normalized}`;
  const { rows } = await sql<{ customer_id: string; name: string; shared: boolean }>`
    select c.id as customer_id, c.name, coalesce(bool_or(cc.shared), false) as shared
    from customers c
    left join customer_contacts cc on cc.customer_id = c.id and cc.kind = ${kind} and cc.value = ${normalized}
    where ${primary} or cc.customer_id is not null
    group by c.id, c.name, c.created_at
    order by c.created_at, c.id`.execute(db);
  const several = rows.length > 1;
  return rows.map((r) => ({ customerId: r.customer_id, name: r.name, shared: r.shared || several }));
}
