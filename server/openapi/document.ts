import { OpenAPIRegistry, OpenApiGeneratorV31, type ResponseConfig, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ErrorBodySchema, type ApiDocGroup, type ApiResponseDoc, type ApiRouteDoc, type ApiSecurity } from '../../core/api-doc.js';
import { API_DOC_GROUPS } from './groups.js';

export type OpenApiDocument = ReturnType<OpenApiGeneratorV31['generateDocument']>;

type SecurityScheme = Parameters<OpenAPIRegistry['registerComponent']>[2] & { type: 'http' | 'apiKey' };

const SECURITY_SCHEMES: Record<ApiSecurity, SecurityScheme> = {
  webchatSession: { type: 'http', scheme: 'bearer', description: 'Token from POST /api/webchat/sessions.' },
  adminToken: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN (generated in DATA_DIR/secrets.json outside production).' },
  metricsToken: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN; without it set, GET /metrics answers everyone.' },
  agentSession: {
    type: 'apiKey',
    in: 'cookie',
    name: 'sb_agent_session',
    description:
      'Set by POST /api/agent/login (HttpOnly, SameSite=Strict, Secure when PUBLIC_URL is https); a server-side session in the state ' +
      'backend, ended by logout, AGENT_SESSION_TTL_HOURS or a password change. Every POST under /api/agent must carry the ' +
      "service's own `Origin` (403 otherwise, also when it is missing). See docs/agents.md.",
  },
};

/** `/conversations/:id` under `/api/agent` → `/api/agent/conversations/{id}`; the router's `/` is the mount itself. */
export function openApiPath(mount: string, routePath: string): string {
  const joined = `${mount}${routePath === '/' && mount !== '' ? '' : routePath}`;
  return joined.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
}

function pathParams(route: ApiRouteDoc): z.ZodObject | undefined {
  if (route.params !== undefined) return route.params;
  const names = [...route.path.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
  return names.length === 0 ? undefined : z.object(Object.fromEntries(names.map((n) => [n, z.string()])));
}

function response(status: number, doc: ApiResponseDoc): ResponseConfig {
  if (typeof doc === 'string') {
    return status >= 400 ? { description: doc, content: { 'application/json': { schema: ErrorBodySchema } } } : { description: doc };
  }
  const content = {
    ...(doc.json !== undefined ? { 'application/json': { schema: doc.json } } : {}),
    ...Object.fromEntries(Object.entries(doc.content ?? {}).map(([type, schema]) => [type, { schema }])),
  };
  return {
    description: doc.description,
    ...(Object.keys(content).length > 0 ? { content } : status >= 400 ? { content: { 'application/json': { schema: ErrorBodySchema } } } : {}),
    ...(doc.headers !== undefined
      ? { headers: Object.fromEntries(Object.entries(doc.headers).map(([name, description]) => [name, { description, schema: { type: 'string' as const } }])) }
      : {}),
  };
}

function routeConfig(group: ApiDocGroup, route: ApiRouteDoc): RouteConfig {
  const params = pathParams(route);
  const bodyContent = {
    ...(route.body !== undefined ? { 'application/json': { schema: route.body } } : {}),
    ...Object.fromEntries(Object.entries(route.bodyContent ?? {}).map(([type, schema]) => [type, { schema }])),
  };
  return {
    method: route.method,
    path: openApiPath(group.mount, route.path),
    tags: [group.tag],
    summary: route.summary,
    ...(route.description !== undefined ? { description: route.description } : {}),
    ...(route.security !== undefined ? { security: [{ [route.security]: [] }] } : {}),
    request: {
      ...(params !== undefined ? { params } : {}),
      ...(route.query !== undefined ? { query: route.query } : {}),
      ...(route.headers !== undefined ? { headers: route.headers } : {}),
      ...(Object.keys(bodyContent).length > 0 ? { body: { required: route.bodyOptional !== true, content: bodyContent } } : {}),
    },
    responses: Object.fromEntries(Object.entries(route.responses).map(([status, doc]) => [status, response(Number(status), doc)])),
  };
}

/** Builds the OpenAPI 3.1 document from the route docs (once per process: see `openApiDocument`). */
export function buildOpenApiDocument(groups: readonly ApiDocGroup[] = API_DOC_GROUPS): OpenApiDocument {
  const registry = new OpenAPIRegistry();
  for (const [name, scheme] of Object.entries(SECURITY_SCHEMES)) registry.registerComponent('securitySchemes', name, scheme);
  const seen = new Set<string>();
  for (const group of groups) {
    for (const route of group.routes) {
      const key = `${route.method.toUpperCase()} ${openApiPath(group.mount, route.path)}`;
      // Two docs for one operation would silently keep the last: refuse at start-up instead.
      if (seen.has(key)) throw new Error(`${key} is documented twice (server/openapi/groups.ts)`);
      seen.add(key);
      registry.registerPath(routeConfig(group, route));
    }
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Switchboard HTTP API',
      version: '0.1.0',
      description:
        'Web chat, agent console, knowledge editor, health and admin endpoints, generated from the zod schemas the routes validate with. ' +
        'Errors are always `{ "error": { "code": "SB_ERR_…", "message": "…", "details": [{ "path", "message" }] } }`. ' +
        'WebSocket endpoints are listed as a GET answering 101 (see docs/webchat.md and docs/agents.md).',
    },
    tags: [...new Set(groups.map((g) => g.tag))].map((name) => ({ name })),
  });
}

let built: OpenApiDocument | null = null;

/** The document `GET /openapi.json` serves, generated on first use and kept. */
export function openApiDocument(): OpenApiDocument {
  built ??= buildOpenApiDocument();
  return built;
}
