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
 * The official client's own HTTP layer (Twilio's documented "custom HTTP client" extension
 * point), with the origin swapped: path, form encoding, basic auth and the parsing of answers
 * and errors stay the SDK's.
 */
class RedirectedRequestClient extends twilio.RequestClient {
  constructor(
    private readonly origin: URL,
    options: ConstructorParameters<typeof twilio.RequestClient>[0],
  ) {
    super(options);
  }

  override request<TData>(opts: RequestOptions<TData>): Promise<Response<TData>> {
    const uri = new URL(opts.uri);
    uri.protocol = this.origin.protocol;
    uri.host = this.origin.host;
    return super.request<TData>({ ...opts, uri: uri.href });
  }
}

/**
 * The Twilio REST client every Switchboard part shares (SMS notifications now, the SMS and
 * WhatsApp channels next). The SDK's own 429 retries stay off: our queue retries with backoff
 * and records each attempt on the outbound row.
 */
export function createTwilioRestClient(options: TwilioRestClientOptions): twilio.Twilio {
  const timeout = options.timeoutMs ?? 10_000;
  const httpClient = options.apiOrigin !== undefined ? new RedirectedRequestClient(new URL(options.apiOrigin), { timeout, autoRetry: false }) : new twilio.RequestClient({ timeout, autoRetry: false });
  return twilio(options.accountSid, options.authToken, { httpClient, autoRetry: false, timeout });
}
