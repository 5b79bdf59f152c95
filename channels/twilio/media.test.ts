import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { TwilioApiStandIn } from '../../test/twilio-api.js';
import { fetchTwilioMedia, TwilioMediaError, type TwilioMediaFetchOptions } from './media.js';

/** A host that is not Twilio's: it must never be asked for anything, and never see the credentials. */
class OtherHost {
  readonly requests: Array<{ path: string; authorization: string | undefined }> = [];
  private server: http.Server | null = null;
  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      this.requests.push({ path: req.url ?? '', authorization: req.headers.authorization });
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('internal secrets');
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }
  get origin(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }
  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TwilioMediaError)) throw new Error(`expected a TwilioMediaError, got ${String(error)}`);
  return error.reason;
}

describe('fetching inbound media from Twilio only (against the loopback stand-in of api.twilio.com)', () => {
  let twilioApi: TwilioApiStandIn;
  let other: OtherHost;
  let options: TwilioMediaFetchOptions;
  beforeAll(async () => {
    twilioApi = await new TwilioApiStandIn().start();
    other = await new OtherHost().start();
    options = { accountSid: twilioApi.accountSid, authToken: twilioApi.authToken, maxBytes: 1024, apiOrigin: twilioApi.origin };
  });
  afterAll(async () => {
    await twilioApi?.stop();
    await other?.stop();
  });

  test('a media URL of the account is fetched with its credentials (basic auth), with its type and size', async () => {
    const bytes = Buffer.from('\xff\xd8\xff fake jpeg', 'latin1');
    const url = twilioApi.addMedia({ contentType: 'image/jpeg', bytes });
    const media = await fetchTwilioMedia(url, options);
    expect(media).toEqual({ contentType: 'image/jpeg', bytes });
    expect(twilioApi.unauthorized).toBe(0);
  });

  test.each([
    ['another host', () => `${other.origin}/2010-04-01/Accounts/x/Messages/y/Media/z`],
    ['a look-alike of api.twilio.com', () => 'https://api.twilio.com.evil.example/media'],
    ['plain http to api.twilio.com', () => 'http://api.twilio.com/2010-04-01/Accounts/x/Media/y'],
    ['credentials in the URL', () => 'https://user:pass@api.twilio.com/2010-04-01/Accounts/x/Media/y'],
    ['an internal address', () => 'http://169.254.169.254/latest/meta-data/'],
    ['not a URL', () => 'file:///etc/passwd'],
  ])('%s is never fetched', async (_name, url) => {
    expect(await refusal(fetchTwilioMedia(url(), options))).toBe('not_twilio');
    expect(other.requests).toEqual([]);
  });

  test('a redirect to another host is not followed, and that host never sees the credentials', async () => {
    const url = twilioApi.addMedia({ redirect: `${other.origin}/stolen` });
    expect(await refusal(fetchTwilioMedia(url, options))).toBe('redirect_not_allowed');
    expect(other.requests).toEqual([]);
  });

  test('a redirect within Twilio is followed', async () => {
    const target = twilioApi.addMedia({ contentType: 'image/png', bytes: Buffer.from('png') });
    const url = twilioApi.addMedia({ redirect: target });
    expect(await fetchTwilioMedia(url, options)).toEqual({ contentType: 'image/png', bytes: Buffer.from('png') });
  });

  test('media larger than the cap are refused', async () => {
    const url = twilioApi.addMedia({ contentType: 'video/mp4', bytes: Buffer.alloc(4096, 1) });
    expect(await refusal(fetchTwilioMedia(url, options))).toBe('too_large');
  });

  test('wrong credentials are refused by Twilio and nothing is returned', async () => {
    const url = twilioApi.addMedia({ contentType: 'image/jpeg', bytes: Buffer.from('x') });
    expect(await refusal(fetchTwilioMedia(url, { ...options, authToken: 'not-the-token' }))).toBe('http_error');
  });
});
