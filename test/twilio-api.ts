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
    if (this.downFor > 0) {
      this.downFor -= 1;
      return this.error(res, TWILIO_ERRORS.unavailable);
    }
    if (form.To === undefined || form.Body === undefined) return this.error(res, { status: 400, code: 21604, message: "A 'To' phone number is required." });
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
        body: form.Body,
        status: form.MessagingServiceSid !== undefined ? 'accepted' : 'queued',
        num_segments: '1',
        direction: 'outbound-api',
        api_version: '2010-04-01',
        date_created: new Date().toUTCString(),
        uri: `/2010-04-01/Accounts/${this.accountSid}/Messages/${sid}.json`,
      }),
    );
  }

  private error(res: http.ServerResponse, error: TwilioApiError): void {
    res.writeHead(error.status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: error.code, message: error.message, more_info: `https://www.twilio.com/docs/errors/${error.code}`, status: error.status }));
  }
}
