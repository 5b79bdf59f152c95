import { z } from 'zod';
import { ERROR_CATALOGUE, type ErrorCode } from './errors.js';

/**
 * How a route documents itself in the generated OpenAPI document (`GET /openapi.json`, built by
 * server/openapi/). Each router module exports its routes' docs beside the routes, reusing the
 * zod schemas the routes validate with, so the document cannot drift from the code; a test fails
 * when a mounted route has no doc (server/openapi/coverage.test.ts).
 */

/** Who may call a route: the schemes of `components.securitySchemes`. */
export type ApiSecurity = 'agentSession' | 'webchatSession' | 'adminToken' | 'metricsToken';

export type ApiMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';

/**
 * One response. A string is its description: for a 4xx/5xx it carries the coded error body
 * (`ErrorBodySchema`), for anything else no body. `json` is an `application/json` body; `content`
 * any other media type (an HTML page, a PDF).
 */
export type ApiResponseDoc =
  | string
  | {
      description: string;
      json?: z.ZodType;
      content?: Partial<Record<'text/html' | 'text/plain' | 'text/xml' | 'application/pdf' | 'application/javascript', z.ZodType>>;
      /** Response headers by name, each with its description (`Retry-After`, `Set-Cookie`). */
      headers?: Record<string, string>;
    };

export interface ApiRouteDoc {
  method: ApiMethod;
  /** As the router declares it, relative to where it is mounted: `/conversations/:id`. */
  path: string;
  summary: string;
  description?: string;
  security?: ApiSecurity;
  /** Path parameters; by default every `:name` in `path` is a string. */
  params?: z.ZodObject;
  query?: z.ZodObject;
  headers?: z.ZodObject;
  /** The `application/json` request body (required unless `bodyOptional`). */
  body?: z.ZodType;
  bodyOptional?: boolean;
  /** Another request media type instead of JSON (a form post). */
  bodyContent?: Partial<Record<'application/x-www-form-urlencoded' | 'application/octet-stream', z.ZodType>>;
  responses: Record<number, ApiResponseDoc>;
}

/** The routes of one router, and where the app mounts it (`''` for the root). */
export interface ApiDocGroup {
  mount: string;
  /** The tag the reference page groups these operations under. */
  tag: string;
  routes: readonly ApiRouteDoc[];
}

/** Declares a router's docs; a function only so the declarations are type-checked in place. */
export function apiDocs(mount: string, tag: string, routes: readonly ApiRouteDoc[]): ApiDocGroup {
  return { mount, tag, routes };
}

const ERROR_CODES = Object.keys(ERROR_CATALOGUE) as [ErrorCode, ...ErrorCode[]];

/** Every error response: `{ error: { code, message, details? } }` (SwitchboardError.toJSON). */
export const ErrorBodySchema = z
  .object({
    error: z.object({
      code: z.enum(ERROR_CODES),
      message: z.string(),
      details: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    }),
  })
  .meta({ id: 'Error' });
export type ErrorBody = z.infer<typeof ErrorBodySchema>;

/** An HTML page response. */
export const htmlPage = (description: string): ApiResponseDoc => ({ description, content: { 'text/html': z.string() } });
