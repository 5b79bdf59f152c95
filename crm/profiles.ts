import { randomInt } from 'node:crypto';
import { sql, type Kysely, type Transaction } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import { SwitchboardError } from '../core/errors.js';
import type { CustomerChannel } from '../core/message.js';
import type { ListedProfile, ProfileDetail } from '../core/profile-api.js';
import { CORE_PROFILE_FIELDS, validateProfile, type ProfileFieldsConfig, type ProfileInput, type ProfileValues } from '../core/profile-fields.js';
import type { Database } from '../db/schema.js';
import { customersByContact } from './contact-lookup.js';
import { caseUpdates, contactHistory, type CaseNumbersOf } from './profile-history.js';
import { listProfiles } from './profile-search.js';

/** Serialises profile writes, so two agents creating the same person at once make one profile. */
const PROFILE_WRITES_LOCK = 7210117;

/** A write refused because the email or direct phone is another profile's: those profiles, to offer instead. */
export class DuplicateProfileError extends SwitchboardError {
  constructor(readonly existing: ListedProfile[], details: Array<{ path: string; message: string }>) {
    super('SB_ERR_CONFLICT', 'A profile with this email or phone number exists already: use it, or merge the two', details);
  }
}

export interface ProfileStoreOptions {
  fields: ProfileFieldsConfig;
  /** Case numbers of each conversation (the cases module fills it; crm/profile-history.ts). */
  caseNumbersOf?: CaseNumbersOf;
}

/**
 * Customer profiles as agents create and edit them (docs/profiles-and-cases.md). Every write is
 * validated against the configured fields first and stores nothing when a field is wrong.
 */
export class ProfileStore {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly options: ProfileStoreOptions,
  ) {}

  get fields(): ProfileFieldsConfig {
    return this.options.fields;
  }

  private get region(): CountryCode {
    return this.options.fields.phoneRegion as CountryCode;
  }

  async detail(customerId: string): Promise<ProfileDetail | null> {
    const row = await this.db.selectFrom('customers').selectAll().where('id', '=', customerId).executeTakeFirst();
    if (row === undefined) return null;
    const [extras, contacts, history, updates] = await Promise.all([
      this.db.selectFrom('customer_profile_fields').select('values').where('customer_id', '=', customerId).executeTakeFirst(),
      this.db.selectFrom('customer_contacts').select(['kind', 'value', 'shared']).where('customer_id', '=', customerId).orderBy('created_at').execute(),
      contactHistory(this.db, customerId, this.options.caseNumbersOf),
      caseUpdates(this.db, customerId),
    ]);
    const fields = this.valuesOf(row, extras?.values ?? {});
    const primary = (kind: 'email' | 'phone', value: string) => (kind === 'email' ? value === row.email.toLowerCase() : value === row.phone);
    const listed = contacts.map((c) => ({ kind: c.kind, value: c.value, shared: c.shared, primary: primary(c.kind, c.value) }));
    // A primary contact the shop import wrote after the profile's rows is a contact too.
    if (row.email !== '' && !listed.some((c) => c.kind === 'email' && c.primary)) listed.unshift({ kind: 'email', value: row.email.toLowerCase(), shared: false, primary: true });
    if (row.phone !== null && !listed.some((c) => c.kind === 'phone' && c.primary)) listed.unshift({ kind: 'phone', value: row.phone, shared: false, primary: true });
    return { customerId: row.id, name: row.name, vip: row.vip, fields, contacts: listed, history, caseUpdates: updates, createdAt: new Date(row.created_at).toISOString() };
  }

  /** Creates a profile with a new unique Customer ID; 422 per wrong field, 409 with the profiles an email or direct phone already belongs to. */
  async create(input: ProfileInput, sharedPhone: boolean): Promise<ProfileDetail> {
    const values = this.validate(input);
    const id = await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${PROFILE_WRITES_LOCK})`.execute(trx);
      await this.refuseDuplicates(trx, values, sharedPhone, null);
      const customerId = await this.unusedCustomerId(trx);
      await trx
        .insertInto('customers')
        .values({ id: customerId, ...this.columnsOf(values), plan: 'standard', vip: false })
        .execute();
      await this.writeContactsAndExtras(trx, customerId, values, sharedPhone);
      return customerId;
    });
    return (await this.detail(id))!;
  }

  /** Changes the fields given ('' or null clears one); the result is validated as a whole. */
  async update(customerId: string, input: ProfileInput, sharedPhone: boolean | undefined): Promise<ProfileDetail> {
    const found = await this.db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${PROFILE_WRITES_LOCK})`.execute(trx);
      const row = await trx.selectFrom('customers').selectAll().where('id', '=', customerId).forUpdate().executeTakeFirst();
      if (row === undefined) return false;
      const extras = await trx.selectFrom('customer_profile_fields').select('values').where('customer_id', '=', customerId).executeTakeFirst();
      const current = this.valuesOf(row, extras?.values ?? {});
      // Unknown keys are refused by the validator; known ones replace the stored value.
      const values = this.validate({ ...current, ...input });
      const phoneShared = sharedPhone ?? (row.phone !== null && (await trx.selectFrom('customer_contacts').select('shared').where('customer_id', '=', customerId).where('kind', '=', 'phone').where('value', '=', row.phone).executeTakeFirst())?.shared === true);
      await this.refuseDuplicates(trx, values, phoneShared, customerId);
      await trx.updateTable('customers').set(this.columnsOf(values)).where('id', '=', customerId).execute();
      // The old primary contacts go: an edit corrects them (a merge keeps both on purpose).
      const stale = [
        ...(row.email !== '' && row.email.toLowerCase() !== values.email ? [['email', row.email.toLowerCase()] as const] : []),
        ...(row.phone !== null && row.phone !== values.phone ? [['phone', row.phone] as const] : []),
      ];
      for (const [kind, value] of stale) await trx.deleteFrom('customer_contacts').where('customer_id', '=', customerId).where('kind', '=', kind).where('value', '=', value).execute();
      await this.writeContactsAndExtras(trx, customerId, values, phoneShared);
      return true;
    });
    if (!found) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such customer profile');
    return (await this.detail(customerId))!;
  }

  private validate(input: ProfileInput): ProfileValues {
    const result = validateProfile(this.options.fields, input);
    if (!result.ok) {
      throw new SwitchboardError('SB_ERR_VALIDATION', `The profile is invalid: ${result.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, result.problems.map((p) => ({ path: p.path, message: p.message })), { status: 422 });
    }
    return result.values;
  }

  private async refuseDuplicates(trx: Transaction<Database>, values: ProfileValues, sharedPhone: boolean, self: string | null): Promise<void> {
    const others = (list: Array<{ customerId: string; shared: boolean }>) => list.filter((p) => p.customerId !== self);
    const details: Array<{ path: string; message: string }> = [];
    const existing = new Map<string, { customerId: string; shared: boolean }>();
    if (typeof values.email === 'string') {
      const holders = others(await customersByContact(trx, 'email', values.email, this.region));
      if (holders.length > 0) details.push({ path: 'fields.email', message: 'belongs to another profile' });
      for (const h of holders) existing.set(h.customerId, h);
    }
    if (typeof values.phone === 'string' && !sharedPhone) {
      const holders = others(await customersByContact(trx, 'phone', values.phone, this.region)).filter((h) => !h.shared);
      if (holders.length > 0) details.push({ path: 'fields.phone', message: 'is the direct line of another profile: mark it shared if it is a household line' });
      for (const h of holders) existing.set(h.customerId, h);
    }
    if (existing.size > 0) throw new DuplicateProfileError(await listProfiles(trx, [...existing.values()]), details);
  }

  private async writeContactsAndExtras(trx: Transaction<Database>, customerId: string, values: ProfileValues, markedShared: boolean): Promise<void> {
    // A number other profiles hold as a household line is one for this profile too.
    const sharedPhone =
      markedShared ||
      (typeof values.phone === 'string' &&
        (await trx.selectFrom('customer_contacts').select('customer_id').where('kind', '=', 'phone').where('value', '=', values.phone).where('shared', '=', true).where('customer_id', '<>', customerId).executeTakeFirst()) !== undefined);
    if (typeof values.email === 'string') {
      await trx.insertInto('customer_contacts').values({ customer_id: customerId, kind: 'email', value: values.email }).onConflict((oc) => oc.doNothing()).execute();
    }
    if (typeof values.phone === 'string') {
      await trx
        .insertInto('customer_contacts')
        .values({ customer_id: customerId, kind: 'phone', value: values.phone, shared: sharedPhone })
        .onConflict((oc) => oc.columns(['customer_id', 'kind', 'value']).doUpdateSet({ shared: sharedPhone }))
        .execute();
      // A household line is shared for everyone who has it.
      if (sharedPhone) {
        await sql`insert into customer_contacts (customer_id, kind, value, shared)
          select id, 'phone', phone, true from customers where phone = ${values.phone}
          on conflict (customer_id, kind, value) do update set shared = true`.execute(trx);
        await trx.updateTable('customer_contacts').set({ shared: true }).where('kind', '=', 'phone').where('value', '=', values.phone).execute();
      }
    }
    const extras = Object.fromEntries(Object.entries(values).filter(([k]) => !Object.hasOwn(CORE_PROFILE_FIELDS, k)));
    await trx
      .insertInto('customer_profile_fields')
      .values({ customer_id: customerId, values: JSON.stringify(extras) })
      .onConflict((oc) => oc.column('customer_id').doUpdateSet({ values: JSON.stringify(extras), updated_at: new Date() }))
      .execute();
  }

  private columnsOf(values: ProfileValues): { name: string; email: string; phone: string | null; account_id: string; preferred_channel: CustomerChannel } {
    const text = (key: string): string | null => (typeof values[key] === 'string' ? values[key] : null);
    const email = text('email');
    const phone = text('phone');
    return {
      name: text('name') ?? '',
      email: email ?? '',
      phone,
      account_id: text('accountId') ?? '',
      preferred_channel: (text('preferredChannel') as CustomerChannel | null) ?? (email !== null ? 'email' : 'sms'),
    };
  }

  /** The configured fields' values of a stored profile (what Edit customer details starts from). */
  private valuesOf(row: { name: string; email: string; phone: string | null; account_id: string; preferred_channel: string }, extras: Record<string, unknown>): ProfileValues {
    const core: Record<string, string | null> = { name: row.name, email: row.email === '' ? null : row.email.toLowerCase(), phone: row.phone, accountId: row.account_id === '' ? null : row.account_id, preferredChannel: row.preferred_channel };
    const values: ProfileValues = {};
    for (const field of this.options.fields.fields) {
      const value = Object.hasOwn(CORE_PROFILE_FIELDS, field.key) ? core[field.key] : extras[field.key];
      // A stored value the form no longer offers (an imported 'teams' channel) is left for the agent to choose again.
      if (field.type === 'dropdown' && !field.options.some((o) => o.value === value)) continue;
      if (typeof value === 'string' || typeof value === 'boolean') values[field.key] = value;
    }
    return values;
  }

  /** `C` and 8 digits, unlike any imported `C1001`; drawn again on the rare collision. */
  private async unusedCustomerId(trx: Transaction<Database>): Promise<string> {
    for (;;) {
      const id = `C${String(randomInt(10_000_000, 100_000_000))}`;
      const taken = await trx.selectFrom('customers').select('id').where('id', '=', id).executeTakeFirst();
      if (taken === undefined) return id;
    }
  }
}
