import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';
import { CustomerChannelSchema } from './message.js';

/**
 * The configurable fields of a customer profile (crm/profile-fields.yaml, PROFILE_FIELDS_FILE;
 * docs/profiles-and-cases.md). One schema and one validator, used by the API on every write and
 * by the console's form (it reads this configuration from GET /api/agent/profile-fields), so a
 * field's rule and its message are the same on both sides.
 */

const FieldKeySchema = z.string().regex(/^[a-z][A-Za-z0-9]{0,39}$/, 'must be 1–40 letters or digits in camelCase, starting with a lower-case letter');
const LabelSchema = z.string().trim().min(1).max(80);

const base = {
  key: FieldKeySchema,
  label: LabelSchema,
  /** A mandatory field must be filled (a checkbox: ticked). */
  mandatory: z.boolean().default(false),
};

export const ProfileFieldSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('text'), maxLength: z.number().int().min(1).max(2000).default(200) }),
  z.strictObject({ ...base, type: z.literal('email') }),
  z.strictObject({ ...base, type: z.literal('phone') }),
  z.strictObject({
    ...base,
    type: z.literal('format'),
    /** Matched against the whole value. */
    pattern: z.string().min(1).max(200).refine(isValidPattern, 'must be a valid regular expression'),
    /** What the agent is told when the value does not match, e.g. "must look like A123456". */
    hint: z.string().trim().min(1).max(120),
  }),
  z.strictObject({
    ...base,
    type: z.literal('dropdown'),
    options: z.array(z.strictObject({ value: z.string().min(1).max(80), label: LabelSchema })).min(1).max(100),
  }),
  z.strictObject({ ...base, type: z.literal('date') }),
  z.strictObject({ ...base, type: z.literal('checkbox') }),
]);
export type ProfileField = z.infer<typeof ProfileFieldSchema>;
export type ProfileFieldType = ProfileField['type'];

/**
 * Fields stored in the customers table's own columns; every other field is an extra, kept in
 * customer_profile_fields. `name` must be configured (the column is required).
 */
export const CORE_PROFILE_FIELDS = { name: ['text'], email: ['email'], phone: ['phone'], accountId: ['format', 'text'], preferredChannel: ['dropdown'] } as const satisfies Record<string, readonly ProfileFieldType[]>;
export type CoreProfileField = keyof typeof CORE_PROFILE_FIELDS;

export const ProfileFieldsConfigSchema = z
  .strictObject({
    /** Region a phone number without a country code is read in (ISO 3166 alpha-2). */
    phoneRegion: z.string().regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as US or GB').default('US'),
    fields: z.array(ProfileFieldSchema).min(1).max(60),
    /** Groups of fields of which at least one must be filled (the default: email or phone). */
    oneOf: z.array(z.strictObject({ fields: z.array(FieldKeySchema).min(2), message: z.string().trim().min(1).max(120) })).default([]),
  })
  .superRefine((config, ctx) => {
    const keys = config.fields.map((f) => f.key);
    config.fields.forEach((field, i) => {
      if (keys.indexOf(field.key) !== i) ctx.addIssue({ code: 'custom', path: ['fields', i, 'key'], message: `"${field.key}" is configured twice: keep one` });
      const core = (CORE_PROFILE_FIELDS as Record<string, readonly ProfileFieldType[]>)[field.key];
      if (core !== undefined && !core.includes(field.type)) ctx.addIssue({ code: 'custom', path: ['fields', i, 'type'], message: `the ${field.key} field must be of type ${core.join(' or ')}` });
      if (field.key === 'preferredChannel' && field.type === 'dropdown') {
        field.options.forEach((o, j) => {
          if (!CustomerChannelSchema.safeParse(o.value).success) ctx.addIssue({ code: 'custom', path: ['fields', i, 'options', j, 'value'], message: `must be one of ${CustomerChannelSchema.options.join(', ')}` });
        });
      }
    });
    const name = config.fields.find((f) => f.key === 'name');
    if (name === undefined || !name.mandatory) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'must have a mandatory "name" field (every profile has a name)' });
    if (!keys.includes('email') && !keys.includes('phone')) ctx.addIssue({ code: 'custom', path: ['fields'], message: 'must have an "email" or a "phone" field (a profile is found by its contacts)' });
    config.oneOf.forEach((group, i) =>
      group.fields.forEach((key, j) => {
        if (!keys.includes(key)) ctx.addIssue({ code: 'custom', path: ['oneOf', i, 'fields', j], message: `names "${key}", which is not under fields` });
      }),
    );
  });
export type ProfileFieldsConfig = z.infer<typeof ProfileFieldsConfigSchema>;

/** A form's values as sent: strings for every type but checkbox (true/false). Absent, null and '' are empty. */
export type ProfileInput = Record<string, unknown>;
/** Validated values: normalized strings (email lower-case, phone E.164, date YYYY-MM-DD) and booleans. */
export type ProfileValues = Record<string, string | boolean>;

export interface ProfileFieldProblem {
  /** `fields.<key>`, as the API's error details name it. */
  path: string;
  field: string;
  message: string;
}

export type ProfileValidation = { ok: true; values: ProfileValues } | { ok: false; problems: ProfileFieldProblem[] };

/**
 * Checks every configured field of `input`, and reports every problem at once, one per field:
 * a missing mandatory field, a value of the wrong kind or format, an unknown field. Nothing
 * but configured keys comes out.
 */
export function validateProfile(config: ProfileFieldsConfig, input: ProfileInput): ProfileValidation {
  const problems: ProfileFieldProblem[] = [];
  const values: ProfileValues = {};
  const add = (field: string, message: string): void => void problems.push({ path: `fields.${field}`, field, message });
  const known = new Set(config.fields.map((f) => f.key));
  for (const key of Object.keys(input)) if (!known.has(key)) add(key, 'is not a profile field');
  for (const field of config.fields) {
    const raw = Object.hasOwn(input, field.key) ? input[field.key] : undefined;
    const result = checkField(field, raw, config.phoneRegion as CountryCode);
    if (result.problem !== undefined) add(field.key, result.problem);
    else if (result.value !== undefined) values[field.key] = result.value;
  }
  for (const group of config.oneOf) {
    const filled = group.fields.some((k) => values[k] !== undefined || problems.some((p) => p.field === k));
    if (!filled) for (const k of group.fields) add(k, group.message);
  }
  return problems.length === 0 ? { ok: true, values } : { ok: false, problems };
}

function checkField(field: ProfileField, raw: unknown, region: CountryCode): { value?: string | boolean; problem?: string } {
  if (field.type === 'checkbox') {
    if (raw === undefined || raw === null) return field.mandatory ? { problem: 'must be ticked' } : { value: false };
    if (typeof raw !== 'boolean') return { problem: 'must be true or false' };
    return field.mandatory && !raw ? { problem: 'must be ticked' } : { value: raw };
  }
  if (raw !== undefined && raw !== null && typeof raw !== 'string') return { problem: 'must be text' };
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (text === '') return field.mandatory ? { problem: 'is required' } : {};
  switch (field.type) {
    case 'text':
      return text.length > field.maxLength ? { problem: `must be at most ${field.maxLength} characters` } : { value: text };
    case 'email': {
      const email = text.toLowerCase();
      return email.length <= 254 && /^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+\.[^\s@<>(),;:"]+$/.test(email) ? { value: email } : { problem: 'must be an email address like name@example.com' };
    }
    case 'phone': {
      const parsed = /^[+\d\s().\-/]{4,40}$/.test(text) ? parsePhoneNumberFromString(text, region) : undefined;
      return parsed?.isValid() === true ? { value: parsed.number } : { problem: 'must be a phone number, with the country code if it is not from here' };
    }
    case 'format':
      return text.length <= 200 && new RegExp(`^(?:${field.pattern})$`, 'u').test(text) ? { value: text } : { problem: field.hint };
    case 'dropdown':
      return field.options.some((o) => o.value === text) ? { value: text } : { problem: `must be one of ${field.options.map((o) => o.label).join(', ')}` };
    case 'date':
      return isCalendarDate(text) ? { value: text } : { problem: 'must be a date (YYYY-MM-DD)' };
    default: {
      const never: never = field;
      return never;
    }
  }
}

function isCalendarDate(text: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (m === null) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return y >= 1900 && date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

function isValidPattern(pattern: string): boolean {
  try {
    new RegExp(pattern, 'u');
    return true;
  } catch {
    return false;
  }
}
