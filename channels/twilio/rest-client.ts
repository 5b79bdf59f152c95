import twilio from 'twilio';

// The SDK's own request and response types, as its `request` declares them.
type RequestOptions<TData> = Parameters<twilio.RequestClient['request']>[0] & { data?: TData };
type Response<TData> = Awaited<ReturnType<twilio.RequestClient['request']>> & { body: TData };

export interface TwilioRestClientOptions {
  accountSid: string;
  authToken: string;
  /**
   * Test-only: the origin (scheme, host, port) of a loopback stand-in for https://api.twilio.com, which
   * receives the requests the official client builds, unchanged but for the origin. Never read
   * from configuration or a request: production always talks to Twilio.
   */
  apiOrigin?: string;
  /** Per-request timeout; the SDK's default is 30 s, longer than a notification should wait. */
  timeoutMs?: number;
}

/**
 * Twilio answered 429: raised by the HTTP layer itself, because the SDK's `RestException` drops
 * the response headers and with them `Retry-After`, which the delivery queue honours.
 */
export class TwilioRateLimitedError extends Error {
  constructor(readonly retryAfterMs: number | null) {
    super('Twilio answered 429 Too Many Requests');
    this.name = 'TwilioRateLimitedError';
  }
}

/** Retry-After as delay-seconds or an HTTP date (RFC 9110); null when absent or unreadable. */
export function retryAfterMs(header: unknown, now = Date.now()): number | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string' || value.trim() === '') return null;
  if (/^\d{1,7}$/.test(value.trim())) return Number(value.trim()) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

/**
 * The official client's own HTTP layer (Twilio's documented "custom HTTP client" extension
 * point): path, form encoding, basic auth and the parsing of answers and errors stay the SDK's.
 * Only a 429 is turned into `TwilioRateLimitedError` (keeping Retry-After), and in tests the
 * origin is swapped for the loopback stand-in's.
 */
class SwitchboardRequestClient extends twilio.RequestClient {
  constructor(
    private readonly origin: URL | null,
    options: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(options);
  }

  override async request<TData>(opts: RequestOptions<TData>): Promise<Response<TData>> {
    let uri = opts.uri;
    if (this.origin !== null) {
      const redirected = new URL(opts.uri);
      redirected.protocol = this.origin.protocol;
      redirected.host = this.origin.host;
      uri = redirected.href;
    }
    const response = await super.request<TData>({ ...opts, uri });
    if (response.statusCode === 429) throw new TwilioRateLimitedError(retryAfterMs((response.headers as Record<string, unknown> | undefined)?.['retry-after']));
    return response;
  }
}

/**
 * The Twilio REST client every Switchboard part shares (SMS notifications, the SMS and WhatsApp
 * channels). The SDK's own 429 retries stay off: our queue retries with backoff and records
 * each attempt on the outbound row.
 */
export function createTwilioRestClient(options: TwilioRestClientOptions): twilio.Twilio {
  const timeout = options.timeoutMs ?? 10_000;
  const httpClient = new SwitchboardRequestClient(options.apiOrigin !== undefined ? new URL(options.apiOrigin) : null, { timeout, autoRetry: false });
  return twilio(options.accountSid, options.authToken, { httpClient, autoRetry: false, timeout });
}
