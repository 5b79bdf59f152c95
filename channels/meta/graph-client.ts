import { z } from 'zod';
import { DeliveryError, type DeliveryFailure } from '../../core/channel.js';

/** The Graph API version every call names (Meta keeps each version for about two years). */
export const GRAPH_API_VERSION = 'v21.0';
export const GRAPH_API_ORIGIN = 'https://graph.facebook.com';

/** Failures raised before the request was written: Meta never saw it, so it may be sent again. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/**
 * Meta error codes that mean "too many, slow down" even when the HTTP status is 400: 4 (app
 * rate limit), 80007 (WhatsApp account rate limit), 130429 (Cloud API throughput), 131056 (pair
 * rate limit: too many messages to one customer).
 */
const RATE_LIMIT_CODES = new Set([4, 80007, 130429, 131056]);

/** Meta's error body: `{ "error": { "message", "type", "code", "error_subcode", "fbtrace_id" } }`. */
const GraphErrorSchema = z.object({ error: z.object({ code: z.number().int(), error_subcode: z.number().int().optional() }).loose() });

export interface GraphApiClientOptions {
  /** WHATSAPP_ACCESS_TOKEN, MESSENGER_PAGE_ACCESS_TOKEN or INSTAGRAM_ACCESS_TOKEN: sent as a bearer token, never logged. */
  accessToken: string;
  /**
   * Test-only: the origin of a loopback stand-in for https://graph.facebook.com (test/meta-graph-api.ts).
   * Never read from configuration or a request: production always talks to Meta.
   */
  apiOrigin?: string;
  /** A send still unanswered after this may have happened (unknown outcome). */
  timeoutMs?: number;
}

/**
 * Our own small client of the Graph API's send endpoints: Meta publishes no maintained Node SDK
 * for the Cloud API or the Send API, and the calls we make are two JSON POSTs. It classifies
 * every failure for the delivery worker, with Meta's error code kept for `rejected`.
 */
export class GraphApiClient {
  private readonly origin: string;

  constructor(private readonly options: GraphApiClientOptions) {
    this.origin = options.apiOrigin ?? GRAPH_API_ORIGIN;
  }

  /** `POST /{version}/{node}/messages`; resolves with the JSON answer of a 2xx. */
  async postMessages(node: string, body: unknown): Promise<unknown> {
    let res: Response;
    try {
      res = await fetch(`${this.origin}/${GRAPH_API_VERSION}/${encodeURIComponent(node)}/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${this.options.accessToken}` },
        body: JSON.stringify(body),
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DeliveryError(notSent(error) ? { kind: 'unavailable' } : { kind: 'unknown_outcome' }, { cause: error });
    }
    const text = await res.text().catch(() => '');
    const json = parseJson(text);
    if (res.ok) return json;
    throw new DeliveryError(classifyGraphFailure(res.status, res.headers.get('retry-after'), json));
  }
}

/** What a Graph API error answer means for a retry. */
export function classifyGraphFailure(status: number, retryAfter: string | null, body: unknown): DeliveryFailure {
  const parsed = GraphErrorSchema.safeParse(body);
  const code = parsed.success ? parsed.data.error.code : null;
  if (status === 429 || (code !== null && RATE_LIMIT_CODES.has(code))) return { kind: 'rate_limited', retryAfterMs: retryAfterMs(retryAfter) };
  if (status >= 500) return { kind: 'unavailable' };
  // 131047: more than 24 hours since the customer wrote (re-engagement needs a template);
  // 131026: undeliverable (not on WhatsApp, old app); 100: invalid parameter. Final either way.
  return { kind: 'rejected', providerCode: code !== null ? String(code) : String(status) };
}

/** Delay-seconds or an HTTP date; null when absent or unreadable. */
function retryAfterMs(header: string | null): number | null {
  if (header === null) return null;
  const value = header.trim();
  if (/^\d{1,6}$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - Date.now());
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

function notSent(error: unknown): boolean {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? (cause as { code: unknown }).code : undefined;
  return typeof code === 'string' && NOT_SENT_CODES.has(code);
}
