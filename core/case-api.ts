import { z } from 'zod';
import { TeamNameSchema } from './agent-api.js';
import { CaseCategorySchema, CaseKindSchema, CasePrioritySchema, CaseStatusSchema } from './case-status.js';
import { ProfileFieldSchema } from './profile-fields.js';
import { StorableTextSchema } from './text.js';

/**
 * Cases (tickets) in the agent console's API (`/api/agent/case*`, docs/profiles-and-cases.md
 * "Cases"): the template configuration (crm/case-templates.yaml, CASE_TEMPLATES_FILE) and every
 * body and answer, one schema each, shared by the server and the console.
 */

/** "CASE-7F3K9Q0A": the number customers and agents quote. */
export const CaseNumberSchema = z.string().trim().toUpperCase().regex(/^CASE-[0-9A-F]{8}$/, 'must be a case number such as CASE-7F3K9Q0A');

const TemplateIdSchema = z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be 1–40 lower-case letters, digits or "-", starting with a letter');

/** One case template: its fields use the profile field types and rules (core/profile-fields.ts). */
export const CaseTemplateSchema = z.strictObject({
  id: TemplateIdSchema,
  /** Raised whenever the fields change; a stored case records the version it was opened with. */
  version: z.number().int().min(1),
  label: z.string().trim().min(1).max(80),
  category: CaseCategorySchema,
  priority: CasePrioritySchema,
  team: TeamNameSchema,
  /** The bot's case kinds that land on this template (the first is the kind of a case opened from the console). */
  kinds: z.array(CaseKindSchema).min(1),
  fields: z.array(ProfileFieldSchema).min(1).max(40),
  /** Template field ← the bot's detail it is filled from, where the names differ (serialNumber ← serial). */
  botFields: z.record(z.string(), z.string().min(1).max(60)).default({}),
});
export type CaseTemplate = z.infer<typeof CaseTemplateSchema>;

export const CaseTemplatesFileSchema = z
  .strictObject({ templates: z.array(CaseTemplateSchema).min(1).max(100) })
  .superRefine((file, ctx) => {
    const ids = file.templates.map((t) => t.id);
    file.templates.forEach((t, i) => {
      if (ids.indexOf(t.id) !== i) ctx.addIssue({ code: 'custom', path: ['templates', i, 'id'], message: `"${t.id}" is configured twice: keep one` });
      const keys = t.fields.map((f) => f.key);
      t.fields.forEach((f, j) => {
        if (keys.indexOf(f.key) !== j) ctx.addIssue({ code: 'custom', path: ['templates', i, 'fields', j, 'key'], message: `"${f.key}" is configured twice in template ${t.id}: keep one` });
      });
      for (const key of Object.keys(t.botFields)) {
        if (!keys.includes(key)) ctx.addIssue({ code: 'custom', path: ['templates', i, 'botFields', key], message: `names "${key}", which is not a field of template ${t.id}` });
      }
    });
    // Every case the bot opens lands on exactly one template.
    for (const kind of CaseKindSchema.options) {
      const holders = file.templates.filter((t) => t.kinds.includes(kind)).map((t) => t.id);
      if (holders.length === 0) ctx.addIssue({ code: 'custom', path: ['templates'], message: `no template takes the bot's "${kind}" cases: add "${kind}" to one template's kinds` });
      if (holders.length > 1) ctx.addIssue({ code: 'custom', path: ['templates'], message: `the bot's "${kind}" cases are claimed by ${holders.join(' and ')}: keep "${kind}" in one template's kinds` });
    }
  });
export type CaseTemplatesFile = z.infer<typeof CaseTemplatesFileSchema>;

export const CaseTemplatesResponseSchema = z.object({ templates: z.array(CaseTemplateSchema) });

export const CaseRoleSchema = z.enum(['primary', 'affected', 'cc']);
export type CaseRole = z.infer<typeof CaseRoleSchema>;

const CustomerRefSchema = z.string().trim().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/, 'must be a Customer ID such as C1001');

export const CaseProfileLinkSchema = z.strictObject({
  customerId: CustomerRefSchema,
  role: CaseRoleSchema,
  notify: z.boolean().optional(),
});

/** A form's field values as sent: strings (or null) for every type but checkbox. */
export const CaseFieldsBodySchema = z.record(z.string().max(40), z.union([StorableTextSchema.pipe(z.string().max(2000)), z.boolean(), z.null()]));

export const CreateCaseBodySchema = z.strictObject({
  template: z.string().min(1).max(40),
  fields: CaseFieldsBodySchema,
  profiles: z.array(CaseProfileLinkSchema).max(20).default([]),
});
export type CreateCaseBody = z.infer<typeof CreateCaseBodySchema>;

/** A link or screenshot attached to a case: http(s) only. */
export const CaseAttachmentSchema = z.strictObject({
  url: z
    .string()
    .trim()
    .max(2000)
    .refine((u) => {
      try {
        const parsed = new URL(u);
        return parsed.protocol === 'http:' || parsed.protocol === 'https:';
      } catch {
        return false;
      }
    }, 'must be an http(s) URL'),
  title: StorableTextSchema.pipe(z.string().trim().min(1).max(200)),
});

export const UpdateCaseBodySchema = z
  .strictObject({
    status: CaseStatusSchema.optional(),
    priority: CasePrioritySchema.optional(),
    /** A console user's id; null unassigns. */
    assignee: z.string().min(1).max(64).nullable().optional(),
    fields: CaseFieldsBodySchema.optional(),
    note: StorableTextSchema.pipe(z.string().trim().min(1).max(4000)).optional(),
    attachment: CaseAttachmentSchema.optional(),
    /** With `status: resolved`: ask the primary notified profile for a satisfaction rating (crm/case-csat.ts). */
    askCsat: z.boolean().optional(),
  })
  .refine((b) => Object.values(b).some((v) => v !== undefined), { message: 'give at least one of status, priority, assignee, fields, note, attachment', path: ['status'] });
export type UpdateCaseBody = z.infer<typeof UpdateCaseBodySchema>;

export const LinkCaseProfileBodySchema = CaseProfileLinkSchema;

export const BroadcastBodySchema = z.strictObject({ text: StorableTextSchema.pipe(z.string().trim().min(1).max(1600)) });

export const CaseFollowUpBodySchema = z.strictObject({
  at: z.iso.datetime({ offset: true }),
  note: StorableTextSchema.pipe(z.string().trim().min(1).max(1000)),
  notifyCustomer: z.boolean().optional(),
});

export const CaseSearchQuerySchema = z.strictObject({ q: z.string().trim().min(1).max(200) });

export const CaseTimelineKindSchema = z.enum([
  'created',
  'field_changed',
  'note',
  'contact_associated',
  'message_sent',
  'attachment',
  'status_changed',
  'assigned',
  'profile_linked',
  'priority_changed',
  'follow_up_scheduled',
  'follow_up_due',
  'csat_requested',
  'csat_rated',
  'csat_commented',
]);
export type CaseTimelineKind = z.infer<typeof CaseTimelineKindSchema>;

export const CaseTimelineEntrySchema = z.object({
  at: z.string(),
  /** An agent's id, 'bot' or 'system'. */
  actor: z.string(),
  actorName: z.string().nullable(),
  kind: CaseTimelineKindSchema,
  text: z.string(),
  data: z.record(z.string(), z.unknown()),
});

export const CaseSummarySchema = z.object({
  number: z.string(),
  template: z.string().nullable(),
  templateVersion: z.number().nullable(),
  category: z.string().nullable(),
  kind: CaseKindSchema,
  status: CaseStatusSchema,
  priority: CasePrioritySchema,
  team: z.string().nullable(),
  assigneeId: z.string().nullable(),
  summary: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type CaseSummary = z.infer<typeof CaseSummarySchema>;

export const CaseDeliverySchema = z.object({
  id: z.string(),
  broadcastId: z.string(),
  customerId: z.string(),
  transport: z.string(),
  recipient: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  reason: z.string().nullable(),
  at: z.string(),
});

/** The satisfaction question asked when the case was resolved, and what came back. */
export const CaseCsatSchema = z.object({
  id: z.string(),
  customerId: z.string(),
  transport: z.enum(['email', 'sms']),
  recipient: z.string(),
  status: z.enum(['queued', 'sent', 'failed']),
  reason: z.string().nullable(),
  score: z.number().int().min(1).max(5).nullable(),
  comment: z.string().nullable(),
  askedAt: z.string(),
  ratedAt: z.string().nullable(),
});
export type CaseCsat = z.infer<typeof CaseCsatSchema>;

/** What `askCsat` did on this change: asked whom, or why nothing was sent. */
export const CaseCsatOutcomeSchema = z.discriminatedUnion('asked', [
  z.object({ asked: z.literal(true), csatId: z.string(), customerId: z.string(), transport: z.enum(['email', 'sms']), recipient: z.string() }),
  z.object({ asked: z.literal(false), reason: z.enum(['not_resolved_now', 'no_notified_profile', 'no_address']), message: z.string() }),
]);
export type CaseCsatOutcome = z.infer<typeof CaseCsatOutcomeSchema>;

export const CaseDetailSchema = z.object({
  case: CaseSummarySchema.extend({ fields: z.record(z.string(), z.unknown()), assigneeName: z.string().nullable() }),
  timeline: z.array(CaseTimelineEntrySchema),
  profiles: z.array(z.object({ customerId: z.string(), name: z.string(), role: CaseRoleSchema, notify: z.boolean() })),
  contacts: z.array(z.object({ conversationId: z.string(), at: z.string(), by: z.string() })),
  deliveries: z.array(CaseDeliverySchema),
  csat: z.array(CaseCsatSchema),
});
export type CaseDetail = z.infer<typeof CaseDetailSchema>;

/** PATCH /cases/:number: the case as saved, and with `askCsat` what was asked. */
export const UpdateCaseResultSchema = CaseDetailSchema.extend({ csatRequest: CaseCsatOutcomeSchema.optional() });

/** A follow-up that fell due, for its owner in the console until dismissed (crm/case-reminders.ts). */
export const CaseReminderSchema = z.object({ id: z.number().int(), caseNumber: z.string(), note: z.string(), dueAt: z.string(), createdAt: z.string() });
export const CaseRemindersSchema = z.object({ reminders: z.array(CaseReminderSchema) });
export type CaseReminder = z.infer<typeof CaseReminderSchema>;

export const CaseListSchema = z.object({ cases: z.array(CaseSummarySchema.extend({ rank: z.number().optional() })) });
export const ProfileCasesSchema = z.object({ cases: z.array(CaseSummarySchema.extend({ role: CaseRoleSchema, open: z.boolean() })) });
export const BroadcastResultSchema = z.object({ broadcastId: z.string(), deliveries: z.array(CaseDeliverySchema) });
export const CaseFollowUpResultSchema = z.object({ id: z.string(), at: z.string(), note: z.string(), notifyCustomer: z.boolean() });
