import { z } from 'zod';
import { ProfileFieldsConfigSchema } from './profile-fields.js';

/**
 * The customer-profile part of the agent API (issue 12, docs/profiles-and-cases.md): search,
 * create, edit, merge, and associating a conversation with a profile. Shared by the server's
 * routes (crm/, server/agent/profile-routes.ts) and the console (consoles/agent/src/profile-api.ts).
 */

export const PROFILE_SEARCH_KEYS = ['name', 'email', 'phone', 'accountId', 'customerId'] as const;
export const ProfileSearchKeySchema = z.enum(PROFILE_SEARCH_KEYS);
export type ProfileSearchKey = z.infer<typeof ProfileSearchKeySchema>;

/** A Customer ID as the shop import writes it (`C1001`) or the API generates it (`C` and 8 digits). */
export const CustomerIdSchema = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'must be a Customer ID such as C1001');

export const ProfileSearchQuerySchema = z.strictObject({
  by: ProfileSearchKeySchema,
  q: z.string().trim().min(1, 'is required').max(200),
});

/** One search result: enough to tell similar people apart, not to write to them. */
export const ListedProfileSchema = z.object({
  customerId: z.string(),
  name: z.string(),
  /** Masked (`a***@example.com`); null when the profile has none. */
  email: z.string().nullable(),
  /** Masked (`+1******0101`). */
  phone: z.string().nullable(),
  accountId: z.string().nullable(),
  vip: z.boolean(),
  /** The matched contact (or the profile's phone) is shared with other profiles (a household line). */
  shared: z.boolean(),
  /** The profile's latest conversation, on any channel. */
  lastContact: z.object({ at: z.iso.datetime(), channel: z.string() }).nullable(),
});
export type ListedProfile = z.infer<typeof ListedProfileSchema>;

export const ProfilesSchema = z.object({ profiles: z.array(ListedProfileSchema) });

export const ProfileFieldsResponseSchema = ProfileFieldsConfigSchema;

export const ProfileFieldsBodySchema = z.record(z.string().max(40), z.union([z.string().max(2000), z.boolean(), z.null()]));

export const CreateProfileBodySchema = z.strictObject({
  fields: ProfileFieldsBodySchema,
  /** The phone is a household line several profiles share: it is no reason to offer another profile instead. */
  sharedPhone: z.boolean().default(false),
});
export type CreateProfileBody = z.infer<typeof CreateProfileBodySchema>;

export const UpdateProfileBodySchema = z.strictObject({
  /** Only the fields to change; '' or null clears one. */
  fields: ProfileFieldsBodySchema,
  sharedPhone: z.boolean().optional(),
});
export type UpdateProfileBody = z.infer<typeof UpdateProfileBodySchema>;

export const ProfileContactSchema = z.object({
  kind: z.enum(['email', 'phone']),
  value: z.string(),
  shared: z.boolean(),
  primary: z.boolean(),
});

/** One conversation in a profile's contact history, with the cases it was associated with. */
export const ContactHistoryEntrySchema = z.object({
  conversationId: z.string(),
  channel: z.string(),
  status: z.string(),
  startedAt: z.iso.datetime(),
  lastActivityAt: z.iso.datetime(),
  /** Case numbers the conversation was associated with (crm/profile-history.ts `caseNumbersOf`). */
  cases: z.array(z.string()),
});
export type ContactHistoryEntry = z.infer<typeof ContactHistoryEntrySchema>;

/** A case's broadcast as it reached this person (crm/broadcast.ts): part of their contact history. */
export const CaseUpdateEntrySchema = z.object({
  caseNumber: z.string(),
  /** `email` or `sms`: the profile's preferred channel when it was sent. */
  transport: z.string(),
  /** Masked, as the case shows it. */
  recipient: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  at: z.iso.datetime(),
});
export type CaseUpdateEntry = z.infer<typeof CaseUpdateEntrySchema>;

export const ProfileDetailSchema = z.object({
  customerId: z.string(),
  name: z.string(),
  vip: z.boolean(),
  /** Every configured field's value (the form's initial values for Edit customer details). */
  fields: z.record(z.string(), z.union([z.string(), z.boolean()])),
  contacts: z.array(ProfileContactSchema),
  history: z.array(ContactHistoryEntrySchema),
  /** Every case update sent to this person, newest first. */
  caseUpdates: z.array(CaseUpdateEntrySchema),
  createdAt: z.iso.datetime(),
});
export type ProfileDetail = z.infer<typeof ProfileDetailSchema>;

export const ProfileWrittenSchema = z.object({ profile: ProfileDetailSchema });

/** The 409 of a create/edit whose email or direct phone is another profile's: those profiles, offered instead. */
export const DuplicateProfileSchema = z.object({
  error: z.object({ code: z.literal('SB_ERR_CONFLICT'), message: z.string(), details: z.array(z.object({ path: z.string(), message: z.string() })).optional() }),
  existing: z.array(ListedProfileSchema),
});

export const MergeBodySchema = z.strictObject({ from: CustomerIdSchema });

export const MergeResultSchema = z.object({
  into: z.string(),
  from: z.string(),
  /** Rows moved per kind (conversations' contacts, identities, contacts, cases, case links…). */
  moved: z.record(z.string(), z.number().int()),
  mergeId: z.string(),
});
export type MergeResult = z.infer<typeof MergeResultSchema>;

export const AssociateBodySchema = z
  .strictObject({
    customerId: CustomerIdSchema.optional(),
    caseNumbers: z.array(z.string().trim().min(1).max(64)).min(1).max(20).optional(),
  })
  .refine((b) => b.customerId !== undefined || b.caseNumbers !== undefined, { message: 'give customerId, caseNumbers or both', path: ['customerId'] });
export type AssociateBody = z.infer<typeof AssociateBodySchema>;

export const AssociateResultSchema = z.object({
  conversationId: z.string(),
  /** The profile now linked, with a line the console shows as the confirmation. */
  customer: z.object({ customerId: z.string(), name: z.string() }).nullable(),
  cases: z.array(z.string()),
  confirmation: z.string(),
  seqs: z.array(z.number().int()),
});
export type AssociateResult = z.infer<typeof AssociateResultSchema>;

/** The profiles a conversation's channel identity belongs to when it is shared: the agent picks one. */
export const LinkedProfilesSchema = z.array(z.object({ customerId: z.string(), name: z.string() }));
