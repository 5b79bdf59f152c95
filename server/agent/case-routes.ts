import type { Request, Router } from 'express';
import { z } from 'zod';
import type { AgentProfile } from '../../core/agent-api.js';
import { apiDocs } from '../../core/api-doc.js';
import {
  BroadcastBodySchema,
  BroadcastResultSchema,
  CaseDetailSchema,
  CaseFollowUpBodySchema,
  CaseFollowUpResultSchema,
  CaseListSchema,
  CaseNumberSchema,
  CaseRemindersSchema,
  CaseSearchQuerySchema,
  CaseTemplatesResponseSchema,
  CreateCaseBodySchema,
  LinkCaseProfileBodySchema,
  ProfileCasesSchema,
  UpdateCaseBodySchema,
  UpdateCaseResultSchema,
} from '../../core/case-api.js';
import { detailsFromZodIssues, SwitchboardError } from '../../core/errors.js';
import type { CaseBroadcasts } from '../../crm/broadcast.js';
import type { CaseFollowUps } from '../../crm/case-follow-ups.js';
import { searchCases } from '../../crm/case-search.js';
import type { CaseSatisfaction } from '../../crm/case-csat.js';
import type { CaseReminders } from '../../crm/case-reminders.js';
import type { CaseStore } from '../../crm/case-store.js';
import { updateCase } from '../../crm/case-update.js';

export interface CaseRouteDeps {
  store: CaseStore;
  broadcasts: CaseBroadcasts;
  followUps: CaseFollowUps;
  csat: CaseSatisfaction;
  reminders: CaseReminders;
  /** The signed-in console user (routes.ts checks the session and the Origin first). */
  agentOf(req: Request): AgentProfile;
}

/** The parts of the cases module the service wires (server/service.ts → createAgentConsole). */
export type CaseModule = Omit<CaseRouteDeps, 'agentOf'>;

/**
 * Cases (docs/profiles-and-cases.md "Cases") on the agent router, after its session and Origin
 * checks. Every case route is authorised by the case's team (crm/case-access.ts): an agent of
 * another team gets 403 and nothing is changed; supervisors and admins see every case.
 */
export function caseRoutes(router: Router, deps: CaseRouteDeps): void {
  const { store } = deps;
  router.get('/case-templates', (_req, res) => {
    res.json({ templates: store.templates.templates });
  });

  router.post('/cases', async (req, res) => {
    const body = parseBody(CreateCaseBodySchema, req.body);
    res.status(201).json(await store.create(body, deps.agentOf(req)));
  });

  router.get('/cases', async (req, res) => {
    const parsed = CaseSearchQuerySchema.safeParse(req.query);
    if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The search is invalid', detailsFromZodIssues(parsed.error.issues, 'query'), { status: 422 });
    res.json({ cases: await searchCases(store.db, parsed.data.q, deps.agentOf(req)) });
  });

  router.get('/cases/:number', async (req, res) => {
    res.json(await store.detail(numberOf(req), deps.agentOf(req)));
  });

  router.patch('/cases/:number', async (req, res) => {
    const number = numberOf(req);
    res.json(await updateCase(store, deps.csat, number, parseBody(UpdateCaseBodySchema, req.body), deps.agentOf(req)));
  });

  router.post('/cases/:number/profiles', async (req, res) => {
    const number = numberOf(req);
    res.json(await store.linkProfile(number, parseBody(LinkCaseProfileBodySchema, req.body), deps.agentOf(req)));
  });

  router.post('/cases/:number/broadcast', async (req, res) => {
    const number = numberOf(req);
    const { text } = parseBody(BroadcastBodySchema, req.body);
    res.status(202).json(await deps.broadcasts.broadcast(number, text, deps.agentOf(req)));
  });

  router.post('/cases/:number/follow-up', async (req, res) => {
    const number = numberOf(req);
    res.status(201).json(await deps.followUps.schedule(number, parseBody(CaseFollowUpBodySchema, req.body), deps.agentOf(req)));
  });

  router.get('/case-reminders', async (req, res) => {
    res.json({ reminders: await deps.reminders.open(deps.agentOf(req).id) });
  });

  router.post('/case-reminders/:id/dismiss', async (req, res) => {
    const id = z.coerce.number().int().min(1).max(2_147_483_647).safeParse(req.params.id);
    if (!id.success) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such reminder');
    await deps.reminders.dismiss(id.data, deps.agentOf(req).id);
    res.status(204).end();
  });

  router.get('/profiles/:customerId/cases', async (req, res) => {
    const id = z.string().min(1).max(64).regex(/^[A-Za-z0-9_.-]+$/).safeParse(req.params.customerId);
    if (!id.success) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such customer profile');
    const exists = await store.db.selectFrom('customers').select('id').where('id', '=', id.data).executeTakeFirst();
    if (exists === undefined) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such customer profile');
    res.json({ cases: await store.forProfile(id.data, deps.agentOf(req)) });
  });
}

function numberOf(req: Request): string {
  const parsed = CaseNumberSchema.safeParse(req.params.number);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such case');
  return parsed.data;
}

function parseBody<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The request body is invalid; nothing was saved', detailsFromZodIssues(parsed.error.issues, 'body'), { status: 422 });
  return parsed.data;
}

const caseNumber = z.object({ number: CaseNumberSchema });
const forbidden = "The case belongs to another team (supervisors and admins see every case), or a foreign Origin (SB_ERR_FORBIDDEN). Nothing was changed.";
const invalid = 'A field is missing or wrong (422 SB_ERR_VALIDATION; one detail per field, e.g. `fields.serialNumber: must look like VL-8K2M4Q`). Nothing was saved.';

/** The docs of these routes (server/openapi/groups.ts lists them beside the agent API's). */
export const caseRouteDocs = apiDocs('/api/agent', 'Agent console', [
  {
    method: 'get',
    path: '/case-templates',
    summary: 'The case templates (CASE_TEMPLATES_FILE): id, version, category, default priority, team and fields with their types, mandatory flags, formats and hints.',
    security: 'agentSession',
    responses: { 200: { description: 'The configured templates.', json: CaseTemplatesResponseSchema }, 401: 'No valid session.' },
  },
  {
    method: 'post',
    path: '/cases',
    summary: "Open a case from a template, linked to profiles with roles (primary, affected, cc); it takes the template's version, category, priority and team.",
    security: 'agentSession',
    body: CreateCaseBodySchema,
    responses: { 201: { description: 'The new case with its timeline.', json: CaseDetailSchema }, 401: 'No valid session.', 403: "The template's team is not the user's (SB_ERR_FORBIDDEN).", 422: invalid },
  },
  {
    method: 'get',
    path: '/cases',
    summary: "Keyword search over case number, fields, notes and timeline text, ranked (websearch syntax: words narrow, \"quoted phrases\", -exclusions); the user's teams' cases only.",
    security: 'agentSession',
    query: CaseSearchQuerySchema,
    responses: { 200: { description: 'The matching cases, best first (up to 50).', json: CaseListSchema }, 401: 'No valid session.', 422: 'No `q` (SB_ERR_VALIDATION).' },
  },
  {
    method: 'get',
    path: '/cases/:number',
    summary: 'A case with its timeline (who and when), linked profiles with roles, associated contacts and broadcast deliveries with per-recipient status.',
    security: 'agentSession',
    params: caseNumber,
    responses: { 200: { description: 'The case.', json: CaseDetailSchema }, 401: 'No valid session.', 403: forbidden, 404: 'No such case.' },
  },
  {
    method: 'patch',
    path: '/cases/:number',
    summary: "Change status, priority, assignee or fields, or add a note or an attachment (an http(s) link or screenshot URL with a title): each recorded in the timeline.",
    description:
      'With `askCsat: true` and a change to `resolved`, the primary notified profile is asked for a satisfaction rating (1–5, then an optional comment) on its preferred channel, once per resolution; `csatRequest` says whom, or why nothing was sent.',
    security: 'agentSession',
    params: caseNumber,
    body: UpdateCaseBodySchema,
    responses: { 200: { description: 'The case as saved (with `csatRequest` when `askCsat` was given).', json: UpdateCaseResultSchema }, 401: 'No valid session.', 403: forbidden, 404: 'No such case.', 422: invalid },
  },
  {
    method: 'post',
    path: '/cases/:number/profiles',
    summary: 'Link a profile to the case with a role (primary, affected, cc) and whether it is notified (default true); linking again changes them.',
    security: 'agentSession',
    params: caseNumber,
    body: LinkCaseProfileBodySchema,
    responses: { 200: { description: 'The case.', json: CaseDetailSchema }, 401: 'No valid session.', 403: forbidden, 404: 'No such case.', 422: 'Invalid body, or no such profile (detail `customerId`).' },
  },
  {
    method: 'post',
    path: '/cases/:number/broadcast',
    summary: "Send one update to every notified linked profile on its preferred channel (email or SMS where configured, the development outbox otherwise): one durable delivery per recipient, each recorded in the timeline.",
    description: 'Supervisors, admins and the case owner (its assignee) only. Statuses per recipient (queued, sent, failed with the reason) are in GET /cases/:number `deliveries`.',
    security: 'agentSession',
    params: caseNumber,
    body: BroadcastBodySchema,
    responses: { 202: { description: 'The broadcast and its deliveries as queued.', json: BroadcastResultSchema }, 401: 'No valid session.', 403: 'Neither a supervisor nor the case owner, or another team (SB_ERR_FORBIDDEN).', 404: 'No such case.', 422: 'No text.' },
  },
  {
    method: 'post',
    path: '/cases/:number/follow-up',
    summary: 'Schedule a check-in (a durable job): it reminds the owner and, with notifyCustomer, messages every notified profile; recorded in the timeline.',
    security: 'agentSession',
    params: caseNumber,
    body: CaseFollowUpBodySchema,
    responses: { 201: { description: 'The follow-up.', json: CaseFollowUpResultSchema }, 401: 'No valid session.', 403: forbidden, 404: 'No such case.', 422: '`at` is not in the next 90 days, or the body is invalid.' },
  },
  {
    method: 'get',
    path: '/case-reminders',
    summary: "The signed-in user's reminders: case follow-ups that fell due for them (they own the case or set the follow-up), not dismissed yet, oldest first.",
    security: 'agentSession',
    responses: { 200: { description: 'The reminders.', json: CaseRemindersSchema }, 401: 'No valid session.' },
  },
  {
    method: 'post',
    path: '/case-reminders/:id/dismiss',
    summary: 'Dismiss one of your reminders.',
    security: 'agentSession',
    params: z.object({ id: z.string() }),
    responses: { 204: 'Dismissed.', 401: 'No valid session.', 403: 'A foreign Origin (SB_ERR_FORBIDDEN).', 404: 'No such reminder of yours (SB_ERR_NOT_FOUND).' },
  },
  {
    method: 'get',
    path: '/profiles/:customerId/cases',
    summary: "The profile's cases the user may see, open ones first (the console offers them before a new case), with the profile's role in each.",
    security: 'agentSession',
    params: z.object({ customerId: z.string() }),
    responses: { 200: { description: 'The cases.', json: ProfileCasesSchema }, 401: 'No valid session.', 404: 'No such profile.' },
  },
]);
