import type { Request, Response, Router } from 'express';
import { z } from 'zod';
import type { AgentProfile } from '../../core/agent-api.js';
import { apiDocs } from '../../core/api-doc.js';
import type { ConversationState } from '../../core/conversation-state.js';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import {
  AssociateBodySchema,
  AssociateResultSchema,
  CreateProfileBodySchema,
  CustomerIdSchema,
  DuplicateProfileSchema,
  LinkedProfilesSchema,
  MergeBodySchema,
  MergeResultSchema,
  ProfileDetailSchema,
  ProfileFieldsResponseSchema,
  ProfileSearchQuerySchema,
  ProfilesSchema,
  ProfileWrittenSchema,
  UpdateProfileBodySchema,
} from '../../core/profile-api.js';
import type { ConversationHeader } from '../../db/agent-queue.js';
import type { StoredEvent } from '../../db/conversations.js';
import { assertAccess } from '../../handoff/agent-access.js';
import { mergeProfiles } from '../../crm/merge.js';
import { associateConversation, conversationProfiles, type ProfileAssociationDeps } from '../../crm/profile-association.js';
import { searchProfiles } from '../../crm/profile-search.js';
import { DuplicateProfileError, type ProfileStore } from '../../crm/profiles.js';
import type { Kysely } from 'kysely';
import type { CountryCode } from 'libphonenumber-js';
import type { Database } from '../../db/schema.js';

export interface ProfileRouteDeps {
  db: Kysely<Database>;
  profiles: ProfileStore;
  association: ProfileAssociationDeps;
  events(conversationId: string): Promise<StoredEvent[]>;
  /** The signed-in agent and the conversation they may act on (routes.ts authorises both). */
  agentOf(req: Request): AgentProfile;
  visibleHeader(agent: AgentProfile, rawId: string | string[] | undefined, access: 'view' | 'note'): Promise<ConversationHeader>;
}

/**
 * Customer profiles (docs/profiles-and-cases.md), on the agent router after its session and
 * Origin checks: every signed-in console user may search and edit profiles; merging a VIP takes
 * a supervisor or admin; associating a conversation is authorised as a note on it is.
 */
export function profileRoutes(router: Router, deps: ProfileRouteDeps): void {
  const { profiles } = deps;
  router.get('/profile-fields', (_req, res) => {
    res.json(profiles.fields);
  });

  router.get('/profiles', async (req, res) => {
    const parsed = ProfileSearchQuerySchema.safeParse(req.query);
    if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The search is invalid', detailsFromZodIssues(parsed.error.issues, 'query'));
    res.json({ profiles: await searchProfiles(deps.db, parsed.data.by, parsed.data.q, profiles.fields.phoneRegion as CountryCode) });
  });

  router.post('/profiles', async (req, res) => {
    const body = parseBody(CreateProfileBodySchema, req.body);
    await answerDuplicates(res, async () => res.status(201).json({ profile: await profiles.create(body.fields, body.sharedPhone) }));
  });

  router.get('/profiles/:customerId', async (req, res) => {
    const profile = await profiles.detail(customerIdOf(req));
    if (profile === null) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such customer profile');
    res.json(profile);
  });

  router.patch('/profiles/:customerId', async (req, res) => {
    const id = customerIdOf(req);
    const body = parseBody(UpdateProfileBodySchema, req.body);
    await answerDuplicates(res, async () => res.json({ profile: await profiles.update(id, body.fields, body.sharedPhone) }));
  });

  router.post('/profiles/:customerId/merge', async (req, res) => {
    const into = customerIdOf(req);
    const { from } = parseBody(MergeBodySchema, req.body);
    res.json(await mergeProfiles(deps.db, { into, from, by: deps.agentOf(req) }));
  });

  router.get('/conversations/:id/profiles', async (req, res) => {
    const header = await deps.visibleHeader(deps.agentOf(req), req.params.id, 'view');
    res.json(await conversationProfiles(deps.db, header, await deps.events(header.id)));
  });

  router.post('/conversations/:id/associate', async (req, res) => {
    const agent = deps.agentOf(req);
    const header = await deps.visibleHeader(agent, req.params.id, 'note');
    const body = parseBody(AssociateBodySchema, req.body);
    const guard = (state: ConversationState): void => assertAccess(agent, { status: state.status, team: state.team, assigneeId: state.assigneeId }, 'note');
    res.json(await associateConversation(deps.association, { conversationId: header.id, contactId: header.contactId }, body, agent.id, guard));
  });
}

/** A 409 for a duplicate carries the existing profiles, so the console can offer them instead. */
async function answerDuplicates(res: Response, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    if (!(error instanceof DuplicateProfileError)) throw error;
    res.status(409).json({ ...error.toJSON(), existing: error.existing });
  }
}

function customerIdOf(req: Request): string {
  const parsed = CustomerIdSchema.safeParse(req.params.customerId);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such customer profile');
  return parsed.data;
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The request body is invalid', detailsFromZodIssues(parsed.error.issues, 'body'), { status: 422 });
  return parsed.data;
}

const customerId = z.object({ customerId: CustomerIdSchema });
const conversationId = z.object({ id: z.uuid() });
const invalid = 'A field is missing or wrong (422 SB_ERR_VALIDATION; one detail per field, e.g. `fields.accountId: must look like A123456`). Nothing was saved.';
const duplicate = { description: 'The email or direct phone belongs to another profile (SB_ERR_CONFLICT): `existing` lists it, to use instead. Nothing was saved.', json: DuplicateProfileSchema };

/** The docs of these routes (server/openapi/groups.ts lists them beside the agent API's). */
export const profileRouteDocs = apiDocs('/api/agent', 'Agent console', [
  {
    method: 'get',
    path: '/profile-fields',
    summary: "The profile form's configuration: every field's type, label, mandatory flag, format and hint (PROFILE_FIELDS_FILE).",
    security: 'agentSession',
    responses: { 200: { description: 'The configured fields.', json: ProfileFieldsResponseSchema }, 401: 'No valid session.' },
  },
  {
    method: 'get',
    path: '/profiles',
    summary: 'Search customer profiles by name (fuzzy), email, phone number (any formatting), account ID or Customer ID; best match first.',
    description: 'Each result has masked email and phone, the account, the last contact and whether its contact is shared (a household line).',
    security: 'agentSession',
    query: ProfileSearchQuerySchema,
    responses: {
      200: { description: 'The matching profiles (up to 20).', json: ProfilesSchema },
      400: 'No or an unknown `by`, or no `q` (SB_ERR_VALIDATION).',
      401: 'No valid session.',
      422: 'The search term is no email address / phone number (SB_ERR_VALIDATION, detail `query.q`).',
    },
  },
  {
    method: 'post',
    path: '/profiles',
    summary: 'Create a customer profile: every configured field is validated, and a unique Customer ID is generated.',
    security: 'agentSession',
    body: CreateProfileBodySchema,
    responses: { 201: { description: 'The new profile.', json: ProfileWrittenSchema }, 401: 'No valid session.', 403: 'Foreign or missing Origin (SB_ERR_FORBIDDEN).', 409: duplicate, 422: invalid },
  },
  {
    method: 'get',
    path: '/profiles/:customerId',
    summary: "A profile with its fields, contacts and contact history (every conversation of every linked contact and every associated one, with its cases).",
    security: 'agentSession',
    params: customerId,
    responses: { 200: { description: 'The profile.', json: ProfileDetailSchema }, 401: 'No valid session.', 404: 'No such profile.' },
  },
  {
    method: 'patch',
    path: '/profiles/:customerId',
    summary: "Edit a profile's fields ('' or null clears one); the result is validated as a whole.",
    security: 'agentSession',
    params: customerId,
    body: UpdateProfileBodySchema,
    responses: { 200: { description: 'The profile as saved.', json: ProfileWrittenSchema }, 401: 'No valid session.', 403: 'Foreign or missing Origin (SB_ERR_FORBIDDEN).', 404: 'No such profile.', 409: duplicate, 422: invalid },
  },
  {
    method: 'post',
    path: '/profiles/:customerId/merge',
    summary: 'Merge the profile `from` into this one: conversations, channel identities, contacts, cases, notes and history move here, in one transaction, recorded in profile_merges.',
    security: 'agentSession',
    params: customerId,
    body: MergeBodySchema,
    responses: {
      200: { description: 'What moved, and the audit record.', json: MergeResultSchema },
      401: 'No valid session.',
      403: 'A VIP profile and the user is no supervisor or admin, or a foreign Origin (SB_ERR_FORBIDDEN).',
      404: 'Either profile does not exist.',
      409: "`from` holds the shop's own records (orders, devices, returns): merge the other way.",
      422: 'The body is invalid, or `from` is this profile.',
    },
  },
  {
    method: 'get',
    path: '/conversations/:id/profiles',
    summary: 'Who the conversation is with: the profile an agent associated, and the linked profiles of a shared channel identity (a household line) to choose from.',
    security: 'agentSession',
    params: conversationId,
    responses: {
      200: { description: 'The associated profile (or null) and the linked profiles (empty unless the identity is shared).', json: z.object({ associated: z.object({ customerId: z.string(), name: z.string(), at: z.string(), byAgentId: z.string() }).nullable(), linked: LinkedProfilesSchema }) },
      401: 'No valid session.',
      404: "Unknown, or not in one of the user's queues (the same answer).",
    },
  },
  {
    method: 'post',
    path: '/conversations/:id/associate',
    summary: 'Associate the conversation with a profile (it joins the contact history; recorded as `profile_associated`) and/or with cases.',
    description: 'Not a verification: the customer still proves who they are before anything personal is done for them.',
    security: 'agentSession',
    params: conversationId,
    body: AssociateBodySchema,
    responses: {
      200: { description: 'The association, with a confirmation line.', json: AssociateResultSchema },
      401: 'No valid session.',
      403: 'Foreign or missing Origin (SB_ERR_FORBIDDEN).',
      404: "Unknown, or not in one of the user's queues; or no such profile.",
      409: 'Another agent holds the conversation.',
      422: 'The body is invalid, or cases cannot be associated on this server.',
    },
  },
]);
