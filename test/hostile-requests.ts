import http from 'node:http';
import fc from 'fast-check';

/**
 * Arbitraries for hostile HTTP requests: what an attacker (or a broken client) sends to a public
 * route. Shared by the fuzz suites; each request is sent byte for byte with node:http, because
 * fetch would normalise away the malformed parts.
 */

/** Strings that break naive code: NUL, lone surrogates, BOM, bidi overrides, line separators, prototype keys. */
export const UNICODE_EDGES = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ufeff',
  '\u202eevil',
  '\u2028\u2029',
  '😀'.repeat(50),
  'e\u0301\u0301\u0301',
  'İı',
  '__proto__',
  'constructor',
  'prototype',
  "'; DROP TABLE contacts; --",
  '$where',
  '{{7*7}}',
  '<script>alert(1)</script>',
  '../../etc/passwd',
  '%00',
  '',
  ' ',
];

const edgeString = fc.constantFrom(...UNICODE_EDGES);
const anyText = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: edgeString },
  { weight: 1, arbitrary: fc.constantFrom('a'.repeat(2001), 'b'.repeat(70_000), '9'.repeat(400)) },
  { weight: 2, arbitrary: fc.string({ maxLength: 20 }) },
);

/** A JSON-ish value with hostile strings and keys, including `__proto__` written as an own key. */
const hostileValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    anyText,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(edgeString, fc.string({ maxLength: 8 })), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A body shaped like what the route expects, with some fields replaced by hostile values. */
function shaped(fields: Record<string, fc.Arbitrary<unknown>>): fc.Arbitrary<unknown> {
  const entries = Object.entries(fields).map(([k, v]) => [k, fc.oneof(v, hostileValue)] as const);
  return fc.record(Object.fromEntries(entries), { requiredKeys: [] });
}

export interface RouteShape {
  method: 'GET' | 'POST' | 'PUT';
  /** Path with `:param` placeholders. */
  path: string;
  /** Fields the route reads from a JSON body, to get past the first checks now and then. */
  body?: Record<string, fc.Arbitrary<unknown>>;
  /** Which credential reaches the handler (`agent`: the console's session cookie and the service's own Origin). */
  auth: 'none' | 'webchat' | 'admin' | 'agent';
}

export interface HostileRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: Buffer | null;
}

const pathParam = fc.oneof(
  fc.constantFrom('%ff', '%E0%A4%A', '%', '%%', '%00', '..%2F..%2Fetc%2Fpasswd', '__proto__', 'constructor', 'a'.repeat(3000), 'camera-offline', 'RMA-100234-1', '%F0%9F%98%80', '%ED%A0%80'),
  fc.string({ maxLength: 30 }).map(safeEncode),
);

const queryString = fc.oneof(
  fc.constant(''),
  fc.constantFrom('?after=-1', '?after=abc', '?after=1e309', '?after[]=1', '?after[__proto__]=1', '?a[b][c][d][e][f]=1', '?after=%ff', '?expires=1&sig=%00', '?' + 'x=1&'.repeat(2000)),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 10 }), { maxKeys: 3 }).map(
    (d) => '?' + Object.entries(d).map(([k, v]) => `${safeEncode(k)}=${safeEncode(v)}`).join('&'),
  ),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'application/json; charset=utf-16',
  'application/json; charset=latin1',
  'application/json; charset=bogus',
  'application/vnd.api+json',
  'text/plain',
  'application/x-www-form-urlencoded',
  'multipart/form-data; boundary=xyz',
  '',
  'application/json, text/html',
);

const contentEncoding = fc.constantFrom(undefined, undefined, undefined, 'gzip', 'deflate', 'br', 'bogus', 'gzip, identity');

function bodyFor(shape: RouteShape): fc.Arbitrary<Buffer | null> {
  return fc.oneof(
    { weight: 4, arbitrary: (shape.body ? shaped(shape.body) : hostileValue).map((v) => Buffer.from(JSON.stringify(v) ?? 'null')) },
    { weight: 1, arbitrary: fc.constant(Buffer.from('{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}')) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)) },
    { weight: 1, arbitrary: fc.constantFrom('{"text": "unterminated', '[' .repeat(5000), '{"a":' .repeat(3000), '\ufeff{}', 'null', '"x"', '1e999').map((s) => Buffer.from(s)) },
    { weight: 1, arbitrary: fc.constant(Buffer.alloc(200_000, 'x')) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

/** A hostile request against one route, with the credentials the test service hands out. */
export function hostileRequest(
  shape: RouteShape,
  credentials: { webchatToken: string; adminToken: string; agentCookie?: string; origin?: string },
): fc.Arbitrary<HostileRequest> {
  const authorization = fc.oneof(
    { weight: 6, arbitrary: fc.constant(shape.auth === 'admin' ? `Bearer ${credentials.adminToken}` : shape.auth === 'webchat' ? `Bearer ${credentials.webchatToken}` : undefined) },
    { weight: 1, arbitrary: fc.constantFrom(undefined, 'Bearer', 'Bearer a.b.c.d.e', `Bearer ${credentials.webchatToken}.extra`, 'Basic Zm9vOmJhcg==', 'Bearer \u00ff') },
  );
  const params = (shape.path.match(/:[a-z]+/g) ?? []).length;
  return fc
    .record({
      params: fc.array(pathParam, { minLength: params, maxLength: params }),
      query: queryString,
      body: shape.method === 'GET' ? fc.constant(null) : bodyFor(shape),
      contentType,
      contentEncoding,
      authorization,
    })
    .map(({ params: values, query, body, contentType: type, contentEncoding: encoding, authorization: auth }) => {
      let i = 0;
      const path = shape.path.replace(/:[a-z]+/g, () => values[i++] as string) + query;
      const headers: Record<string, string> = {};
      if (type !== '') headers['content-type'] = type;
      if (encoding !== undefined) headers['content-encoding'] = encoding;
      if (auth !== undefined) headers.authorization = auth;
      if (shape.auth === 'agent' && auth !== undefined) {
        if (credentials.agentCookie !== undefined) headers.cookie = credentials.agentCookie;
        if (credentials.origin !== undefined) headers.origin = credentials.origin;
      }
      return { method: shape.method, path, headers, body };
    });
}

export interface RawResponse {
  status: number;
  contentType: string;
  body: string;
}

/** Sends the request exactly as generated (header values node:http refuses are dropped). */
export function sendRaw(baseUrl: string, request: HostileRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) {
      if (/^[\t\x20-\x7e]*$/.test(value)) headers[name] = value;
    }
    if (request.body !== null) headers['content-length'] = String(request.body.length);
    const req = http.request({ host: url.hostname, port: url.port, method: request.method, path: request.path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(request.body ?? undefined);
  });
}

function safeEncode(s: string): string {
  try {
    return encodeURIComponent(s);
  } catch {
    // A lone surrogate can't be percent-encoded as UTF-8: send the raw invalid escape instead.
    return '%ED%A0%80';
  }
}
