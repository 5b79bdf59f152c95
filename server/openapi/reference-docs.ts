import { z } from 'zod';
import { apiDocs, htmlPage } from '../../core/api-doc.js';

export const OPENAPI_PATH = '/openapi.json';
export const API_REFERENCE_PATH = '/docs/api';

/** The docs of the document's own routes (server/openapi/route.ts). */
export const apiReferenceDocs = apiDocs('', 'API documentation', [
  {
    method: 'get',
    path: OPENAPI_PATH,
    summary: 'This document: the HTTP API in OpenAPI 3.1, generated at start-up from the zod schemas the routes validate with.',
    responses: { 200: { description: 'The OpenAPI document.', json: z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }) } },
  },
  { method: 'get', path: API_REFERENCE_PATH, summary: 'The API reference page (Swagger UI over /openapi.json).', responses: { 200: htmlPage('The reference page.') } },
]);

