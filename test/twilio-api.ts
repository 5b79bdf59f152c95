import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One message the stand-in accepted: the form fields of the request, as Twilio would read them. */
export interface TwilioApiMessage {
  sid: string;
  accountSid: string;
  form: Record<string, string>;
}

/** A Twilio error answer: the HTTP status and the JSON body its REST API documents. */
export interface TwilioApiError {
  status: number;
  code: number;
  message: string;
}

/** One request the stand-in received, with the status it answered. */
export interface TwilioApiCall {
  method: string;
  path: string;
  form: Record<string, string>;
  status: number;
  /** When it arrived (ms since the epoch): how far apart retries came. */
  at: number;
}

/** A failure the stand-in plays instead of accepting a message. */
export interface ScriptedAnswer {
  status: 500 | 503 | 429;
  /** With 429: the Retry-After header, in seconds. */
  retryAfterSeconds?: number;
}

/** Twilio's documented errors for the cases tests play. */
export const TWILIO_ERRORS = {
  invalidTo: { status: 400, code: 21211, message: "The 'To' number is not a valid phone number." },
  unsubscribed: { status: 400, code: 21610, message: 'Attempt to send to unsubscribed recipient' },
  unavailable: { status: 503, code: 20500, message: 'Service Unavailable' },
} as const satisfies Record<string, TwilioApiError>;

/**
 * A loopback stand-in for Twilio's Messages API (`POST /2010-04-01/Accounts/{AccountSid}/Messages.json`):
 * HTTP basic auth with the account SID and auth token, a form-encoded body, a 201 with the
 * message resource's JSON (sid, status…), and Twilio's error JSON (code, message, more_info,
 * status) for numbers it is told to refuse or while it is told to be down.
 */
export class TwilioApiStandIn {
  readonly messages: TwilioApiMessage[] = [];
  /** Every request, answered or refused, in order: what "zero REST calls" is checked against. */
  readonly calls: TwilioApiCall[] = [];
  private readonly scripted: ScriptedAnswer[] = [];
  private readonly media = new Map<string, { contentType: string; bytes: Buffer } | { redirect: string }>();
  /** Requests refused with 401: a correctly configured client never causes one. */
  unauthorized = 0;
  private readonly refusals = new Map<string, TwilioApiError>();
  private downFor = 0;
  private server: http.Server | null = null;

  constructor(
    readonly accountSid = `AC${randomBytes(16).toString('hex')}`,
    readonly authToken = randomBytes(16).toString('hex'),
  ) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => this.handle(req, Buffer.concat(chunks).toString('utf8'), res));
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return this;
  }

  /** Where the official client is pointed instead of https://api.twilio.com. */
  get origin(): string {
    return `http://127.0.0.1:${(this.server?.address() as AddressInfo).port}`;
  }

  /** Answer every message to `to` with this error. */
  refuse(to: string, error: TwilioApiError): void {
    this.refusals.set(to, error);
  }

  /**
   * Answer the next message requests with these statuses, in order (500; 429 with Retry-After
   * seconds), then accept again.
   */
  script(...answers: ScriptedAnswer[]): void {
    this.scripted.push(...answers);
  }

  /**
   * Serves a media file at Twilio's media path of the account (basic auth required, as Twilio's
   * "HTTP Basic Auth for media" setting); `redirect` answers 307 to that location instead.
   * Returns its URL on the stand-in.
   */
  addMedia(content: { contentType: string; bytes: Buffer } | { redirect: string }): string {
    const path = `/2010-04-01/Accounts/${this.accountSid}/Messages/MM${randomBytes(16).toString('hex')}/Media/ME${randomBytes(16).toString('hex')}`;
    this.media.set(path, content);
    return `${this.origin}${path}`;
  }

  /** Answer the next `times` requests with 503. */
  failNext(times: number): void {
    this.downFor = times;
  }

  to(number: string): TwilioApiMessage[] {
    return this.messages.filter((m) => m.form.To === number);
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === null) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private handle(req: http.IncomingMessage, body: string, res: http.ServerResponse): void {
    const path = new URL(req.url ?? '/', 'http://stand-in').pathname;
    const call: TwilioApiCall = { method: req.method ?? '', path, form: Object.fromEntries(new URLSearchParams(body)), status: 0, at: Date.now() };
    this.calls.push(call);
    const end = res.end.bind(res);
    res.end = ((...args: Parameters<typeof res.end>) => {
      call.status = res.statusCode;
      return end(...args);
    }) as typeof res.end;
    const media = this.media.get(path);
    if (req.method === 'GET' && media !== undefined) return this.serveMedia(req, res, media);
    const match = /^\/2010-04-01\/Accounts\/(AC[0-9a-f]{32})\/Messages\.json$/.exec(path);
    if (req.method !== 'POST' || match === null) return this.error(res, { status: 404, code: 20404, message: 'The requested resource was not found' });
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected || match[1] !== this.accountSid) {
      this.unauthorized += 1;
      return this.error(res, { status: 401, code: 20003, message: 'Authenticate' });
    }
    if (!(req.headers['content-type'] ?? '').startsWith('application/x-www-form-urlencoded')) {
      return this.error(res, { status: 400, code: 20001, message: 'Form-encoded body expected' });
    }
    const form = Object.fromEntries(new URLSearchParams(body));
    const scripted = this.scripted.shift();
    if (scripted !== undefined) {
      if (scripted.status === 429) res.setHeader('retry-after', String(scripted.retryAfterSeconds ?? 1));
      return this.error(res, scripted.status === 429 ? { status: 429, code: 20429, message: 'Too Many Requests' } : { status: scripted.status, code: 20500, message: 'Internal Server Error' });
    }
    if (this.downFor > 0) {
      this.downFor -= 1;
      return this.error(res, TWILIO_ERRORS.unavailable);
    }
    if (form.To === undefined) return this.error(res, { status: 400, code: 21604, message: "A 'To' phone number is required." });
    // A message is a Body, or a Content template (ContentSid with its ContentVariables).
    if (form.Body === undefined && form.ContentSid === undefined) return this.error(res, { status: 400, code: 21619, message: 'A text message body or media URL must be specified.' });
    if (form.From === undefined && form.MessagingServiceSid === undefined) return this.error(res, { status: 400, code: 21603, message: "A 'From' phone number is required." });
    const refusal = this.refusals.get(form.To);
    if (refusal !== undefined) return this.error(res, refusal);
    const sid = `SM${randomBytes(16).toString('hex')}`;
    this.messages.push({ sid, accountSid: this.accountSid, form });
    res.writeHead(201, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        sid,
        account_sid: this.accountSid,
        to: form.To,
        from: form.From ?? null,
        messaging_service_sid: form.MessagingServiceSid ?? null,
        body: form.Body ?? '',
        status: form.MessagingServiceSid !== undefined ? 'accepted' : 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date().toUTCString(),
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
      }),
    );
  }

  private serveMedia(req: http.IncomingMessage, res: http.ServerResponse, media: { contentType: string; bytes: Buffer } | { redirect: string }): void {
    const expected = `Basic ${Buffer.from(`${this.accountSid}:${this.authToken}`).toString('base64')}`;
    if (req.headers.authorization !== expected) {
      this.unauthorized += 1;
      return this.error(res, { status: 401, code: 20003, message: 'Authenticate' });
    }
    if ('redirect' in media) {
      res.writeHead(307, { location: media.redirect });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': media.contentType, 'content-length': String(media.bytes.length) });
    res.end(media.bytes);
  }

  private error(res: http.ServerResponse, error: TwilioApiError): void {
    res.writeHead(error.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: error.code, message: error.message, more_info: `https://www.twilio.com/docs/errors/${error.code}`, status: error.status }));
  }
}
