import { randomBytes } from 'node:crypto';
import twilio from 'twilio';
import { startTestService, type Deployment, type TestService } from './service.js';
import { TwilioApiStandIn } from './twilio-api.js';

/** A posted form as Twilio sends it: names in order, a name may repeat. */
export type TwilioForm = Array<[string, string]>;

export interface TwilioInbound {
  from: string;
  to?: string;
  body?: string;
  sid?: string;
  media?: Array<{ url: string; contentType: string }>;
  profileName?: string;
}

export const TWILIO_NUMBER = '+14155550100';

export const messageSid = (): string => `SM${randomBytes(16).toString('hex')}`;

/** The Messaging webhook's fields for one inbound message (Twilio's documented names). */
export function inboundForm(accountSid: string, message: TwilioInbound): TwilioForm {
  const sid = message.sid ?? messageSid();
  const form: TwilioForm = [
    ['ToCountry', 'US'],
    ['SmsMessageSid', sid],
    ['NumMedia', String(message.media?.length ?? 0)],
    ['SmsSid', sid],
    ['SmsStatus', 'received'],
    ['Body', message.body ?? ''],
    ['To', message.to ?? TWILIO_NUMBER],
    ['NumSegments', '1'],
    ['MessageSid', sid],
    ['AccountSid', accountSid],
    ['From', message.from],
    ['ApiVersion', '2010-04-01'],
  ];
  for (const [i, media] of (message.media ?? []).entries()) form.push([`MediaContentType${i}`, media.contentType], [`MediaUrl${i}`, media.url]);
  if (message.profileName !== undefined) form.push(['ProfileName', message.profileName]);
  return form;
}

/** The signature Twilio computes: the URL it posts to and every field, with the twilio package. */
export function twilioSignature(authToken: string, url: string, form: TwilioForm): string {
  const params: Record<string, string | string[]> = {};
  for (const [name, value] of form) {
    const had = params[name];
    params[name] = had === undefined ? value : Array.isArray(had) ? [...had, value] : [had, value];
  }
  return twilio.getExpectedTwilioSignature(authToken, url, params);
}

export interface TwilioWebhookAnswer {
  status: number;
  contentType: string;
  body: string;
  /** The `<Message>` texts of a TwiML answer, unescaped. */
  messages: string[];
}

/** Where Twilio posts: the service, the public URL it signs for, and the token it signs with. */
export interface TwilioTarget {
  serviceUrl: string;
  publicUrl: string;
  authToken: string;
}

/**
 * A service with the Twilio channel mounted (account, token and TWILIO_FROM of a loopback stand-in
 * for Twilio's REST API, which the official client reaches), plus `env`; `target` signs for
 * PUBLIC_URL when `env` sets one.
 */
export async function startTwilioTestService(
  deployment: Deployment,
  env: Record<string, string>,
): Promise<{ twilioApi: TwilioApiStandIn; service: TestService; target: TwilioTarget; dispose: () => Promise<void> }> {
  const twilioApi = await new TwilioApiStandIn().start();
  const service = await startTestService(
    deployment,
    { TWILIO_ACCOUNT_SID: twilioApi.accountSid, TWILIO_AUTH_TOKEN: twilioApi.authToken, TWILIO_FROM: TWILIO_NUMBER, ...env },
    { twilioApiOrigin: twilioApi.origin },
  ).catch(async (error: unknown) => {
    await twilioApi.stop();
    throw error;
  });
  return {
    twilioApi,
    service,
    target: { serviceUrl: service.url, publicUrl: env.PUBLIC_URL ?? service.url, authToken: twilioApi.authToken },
    dispose: async () => {
      await service.dispose();
      await twilioApi.stop();
    },
  };
}

/**
 * Plays Twilio's side of the webhooks against a running service: posts a form to `path` on
 * the service (`serviceUrl`), signed for `signedUrl` (by default the public URL Twilio knows).
 */
export async function postTwilio(
  target: TwilioTarget,
  path: string,
  form: TwilioForm,
  options: { sign?: 'public' | 'none' | { url: string } | { signature: string }; headers?: Record<string, string> } = {},
): Promise<TwilioWebhookAnswer> {
  const sign = options.sign ?? 'public';
  const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', ...options.headers };
  if (sign === 'public') headers['x-twilio-signature'] = twilioSignature(target.authToken, `${target.publicUrl}${path}`, form);
  else if (sign !== 'none') headers['x-twilio-signature'] = 'signature' in sign ? sign.signature : twilioSignature(target.authToken, sign.url, form);
  const res = await fetch(`${target.serviceUrl}${path}`, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  const body = await res.text();
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', body, messages: twimlMessages(body) };
}

export function twimlMessages(xml: string): string[] {
  return [...xml.matchAll(/<Message>([\s\S]*?)<\/Message>/g)].map((m) =>
    m[1]!.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&#(\d+);/g, (_s, n: string) => String.fromCodePoint(Number(n))).replace(/&amp;/g, '&'),
  );
}
