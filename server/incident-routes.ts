import { Router } from 'express';
import { z } from 'zod';
import type { ApiRouteDoc } from '../core/api-doc.js';
import { detailsFromZodIssues, SwitchboardError } from '../core/errors.js';
import { IncidentDeclarationSchema, IncidentIdSchema, IncidentSchema, type Incidents } from '../db/incidents.js';
import { jsonBody } from './text-guard.js';

const IncidentResultSchema = z.object({ incident: IncidentSchema });
const unauthenticated = 'No admin token.';
const forbidden = 'Not the admin token, or ADMIN_TOKEN unset.';

/** The incident routes' docs, listed with the other admin routes (server/admin.ts). */
export const incidentRouteDocs: readonly ApiRouteDoc[] = [
  {
    method: 'post',
    path: '/incidents',
    summary: 'Declare a technical outage: customers troubleshooting an affected device are told about it instead of walked through steps.',
    description: 'Affects devices by family (`router`, `camera`, …) or product SKU; `customerMessage` is what customers are told. See docs/agents.md ("Technical outages").',
    security: 'adminToken',
    body: IncidentDeclarationSchema,
    responses: { 201: { description: 'Declared, open at once on every instance.', json: IncidentResultSchema }, 400: 'The body is invalid (details name the field).', 401: unauthenticated, 403: forbidden },
  },
  {
    method: 'get',
    path: '/incidents',
    summary: 'The open incidents, newest first.',
    security: 'adminToken',
    responses: { 200: { description: 'Open incidents.', json: z.object({ incidents: z.array(IncidentSchema) }) }, 401: unauthenticated, 403: forbidden },
  },
  {
    method: 'post',
    path: '/incidents/:id/resolve',
    summary: 'End an incident: the bot troubleshoots affected devices again.',
    security: 'adminToken',
    params: z.object({ id: IncidentIdSchema }),
    responses: { 200: { description: 'Resolved.', json: IncidentResultSchema }, 401: unauthenticated, 403: forbidden, 404: 'No open incident with that id.' },
  },
];

/** Declaring and ending outages; mounted behind the admin token guard. */
export function incidentRouter(incidents: Incidents): Router {
  const router = Router();
  router.post('/incidents', ...jsonBody({ limit: '16kb' }), async (req, res) => {
    const parsed = IncidentDeclarationSchema.safeParse(req.body ?? {});
    if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The incident is invalid', detailsFromZodIssues(parsed.error.issues, 'body'));
    res.status(201).json({ incident: await incidents.declare(parsed.data) } satisfies z.infer<typeof IncidentResultSchema>);
  });
  router.get('/incidents', async (_req, res) => {
    res.json({ incidents: await incidents.open() });
  });
  router.post('/incidents/:id/resolve', async (req, res) => {
    const resolved = IncidentIdSchema.safeParse(req.params.id).success ? await incidents.resolve(req.params.id) : null;
    if (resolved === null) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No open incident with that id');
    res.json({ incident: resolved } satisfies z.infer<typeof IncidentResultSchema>);
  });
  return router;
}
