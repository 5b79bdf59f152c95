/**
 * Fetches a customer's MMS/WhatsApp media from Twilio, and from nowhere else. A media URL
 * arrives in a webhook (MediaUrl0…), so it is treated as hostile even when signed: it must be
 * https on api.twilio.com or another *.twilio.com host, the account credentials go only there,
 * and a redirect is followed only to Twilio's own hosts (its media CDN) without them, never
 * elsewhere (SSRF). Bodies are capped while they stream, not after.
 */
export interface TwilioMediaFetchOptions {
  accountSid: string;
  authToken: string;
  /** Larger media are refused (Twilio's own MMS limit is 5 MB). */
  maxBytes: number;
  timeoutMs?: number;
  /**
   * Test-only: the origin of a loopback stand-in that plays api.twilio.com (never from
   * configuration or a request).
   */
  apiOrigin?: string;
}

export type TwilioMediaRefusal = 'not_twilio' | 'redirect_not_allowed' | 'too_many_redirects' | 'too_large' | 'http_error';

export class TwilioMediaError extends Error {
  constructor(readonly reason: TwilioMediaRefusal) {
    super(`Twilio media not fetched: ${reason}`);
    this.name = 'TwilioMediaError';
  }
}

export interface FetchedMedia {
  contentType: string;
  bytes: Buffer;
}

const MAX_REDIRECTS = 3;

/** Where credentials may go: Twilio's API hosts. */
function isTwilioApiHost(url: URL, apiOrigin: string | undefined): boolean {
  if (apiOrigin !== undefined && url.origin === new URL(apiOrigin).origin) return true;
  return url.protocol === 'https:' && url.port === '' && (url.hostname === 'api.twilio.com' || url.hostname.endsWith('.twilio.com'));
}

/** Where a redirect may lead: Twilio's API hosts or its media CDN. */
function isTwilioMediaHost(url: URL, apiOrigin: string | undefined): boolean {
  return isTwilioApiHost(url, apiOrigin) || (url.protocol === 'https:' && url.port === '' && url.hostname.endsWith('.twiliocdn.com'));
}

export async function fetchTwilioMedia(mediaUrl: string, options: TwilioMediaFetchOptions): Promise<FetchedMedia> {
  let url: URL;
  try {
    url = new URL(mediaUrl);
  } catch {
    throw new TwilioMediaError('not_twilio');
  }
  if (url.username !== '' || url.password !== '' || !isTwilioApiHost(url, options.apiOrigin)) throw new TwilioMediaError('not_twilio');
  const signal = AbortSignal.timeout(options.timeoutMs ?? 15_000);
  for (let hop = 0; hop <= MAX_REDIRECTS; hop += 1) {
    const headers: Record<string, string> = {};
    if (isTwilioApiHost(url, options.apiOrigin)) headers.authorization = `Basic ${Buffer.from(`${options.accountSid}:${options.authToken}`).toString('base64')}`;
    const res = await fetch(url, { headers, redirect: 'manual', signal });
    if (res.status >= 300 && res.status < 400) {
      await res.body?.cancel();
      const location = res.headers.get('location');
      const next = location === null ? null : parseUrl(location, url);
      if (next === null || next.username !== '' || !isTwilioMediaHost(next, options.apiOrigin)) throw new TwilioMediaError('redirect_not_allowed');
      url = next;
      continue;
    }
    if (!res.ok) {
      await res.body?.cancel();
      throw new TwilioMediaError('http_error');
    }
    return { contentType: res.headers.get('content-type') ?? 'application/octet-stream', bytes: await readCapped(res, options.maxBytes) };
  }
  throw new TwilioMediaError('too_many_redirects');
}

async function readCapped(res: Response, maxBytes: number): Promise<Buffer> {
  const declared = Number(res.headers.get('content-length') ?? 'NaN');
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel();
    throw new TwilioMediaError('too_large');
  }
  const chunks: Buffer[] = [];
  let total = 0;
  if (res.body === null) return Buffer.alloc(0);
  const reader = res.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new TwilioMediaError('too_large');
    }
    chunks.push(Buffer.from(value));
  }
  return Buffer.concat(chunks);
}

function parseUrl(location: string, base: URL): URL | null {
  try {
    return new URL(location, base);
  } catch {
    return null;
  }
}
