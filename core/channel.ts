import { z } from 'zod';
import type { ChannelInbound } from './inbound.js';
import type { ChannelName, OutboundKind, OutboundMessage } from './message.js';

/** Where a reply goes: the conversation and the customer's id on that channel. */
export interface DeliveryAddress {
  conversationId: string;
  channel: ChannelName;
  senderId: string;
}

/**
 * Where an outbound message stands. `queued` until a sender took it, then `sent` with the
 * provider's id; `delivered` and `read` come from the provider's status reports and never move
 * backwards; `failed` is final (the reason is in `last_error`).
 */
export const OutboundStatusSchema = z.enum(['queued', 'sent', 'delivered', 'read', 'failed']);
export type OutboundStatus = z.infer<typeof OutboundStatusSchema>;

/** What a provider's status report can say about a message it accepted. */
export const DeliveryReportSchema = z.enum(['delivered', 'read', 'failed']);
export type DeliveryReport = z.infer<typeof DeliveryReportSchema>;

/** Why a message is not (yet) sent. Codes only: never the provider's text, which may quote the recipient. */
export const DeliveryErrorReasonSchema = z.enum([
  'rate_limited',
  'unavailable',
  'unknown_outcome',
  'rejected',
  /** The provider accepted it, then reported it undeliverable. */
  'undelivered',
  'retries_exhausted',
  'no_sender',
  'invalid_content',
  /** The recipient opted out (texted STOP, or the provider reported it unsubscribed): nothing is sent, never retried. */
  'opted_out',
]);
export type DeliveryErrorReason = z.infer<typeof DeliveryErrorReasonSchema>;

/** What the provider answered when it accepted a message. */
export interface DeliveryReceipt {
  /** The provider's id for the message (Twilio MessageSid, WhatsApp wamid); status reports quote it. */
  providerMessageId: string;
}

/**
 * How a send failed, as the sender classifies it. The delivery worker retries only what was
 * certainly not sent; a send that may have happened is never repeated blindly.
 */
export type DeliveryFailure =
  /** 429: nothing was sent. `retryAfterMs` is the provider's Retry-After, when it gave one. */
  | { kind: 'rate_limited'; retryAfterMs: number | null }
  /** A 5xx answer, or a connection that failed before the request was written: nothing was sent. */
  | { kind: 'unavailable' }
  /** The request was written but no answer came (timeout, reset): the message may have been sent. */
  | { kind: 'unknown_outcome' }
  /** The provider refused the message for good (invalid recipient, blocked, too long). */
  | { kind: 'rejected'; providerCode: string | null; /** The recipient opted out: recorded as `opted_out`. */ optedOut?: true };

/** Thrown by `ChannelSender.send` with the sender's classification of the failure. */
export class DeliveryError extends Error {
  constructor(
    readonly failure: DeliveryFailure,
    options?: { cause?: unknown },
  ) {
    super(`delivery failed: ${failure.kind}`, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'DeliveryError';
  }
}

/** What a sender learns about the message besides its content. */
export interface SendContext {
  seq: number;
  author: 'bot' | 'agent';
  /**
   * `conversationId:seq`, the same on every attempt of one message: senders pass it to
   * providers that de-duplicate by an idempotency key.
   */
  idempotencyKey: string;
}

/**
 * The outbound half of a channel plug-in. A channel declares the message kinds it renders
 * natively; everything else reaches it already degraded to text, so a text-only channel
 * implements one method.
 */
export interface ChannelSender {
  readonly channel: ChannelName;
  readonly renders: ReadonlySet<OutboundKind>;
  /**
   * True when sending the same idempotency key twice reaches the customer once (the provider
   * de-duplicates, or the client does, as the widget does by seq). Only then is a send whose
   * outcome is unknown tried again; otherwise it ends `failed` with `unknown_outcome`.
   */
  readonly dedupesByIdempotencyKey: boolean;
  /** Resolves with the provider's receipt; rejects with a `DeliveryError` (anything else counts as `unknown_outcome`). */
  send(address: DeliveryAddress, message: OutboundMessage, context: SendContext): Promise<DeliveryReceipt>;
  /**
   * Asks the provider whether a message with this idempotency key was accepted, for providers
   * that can tell: settles an unknown outcome without guessing.
   */
  findByIdempotencyKey?(idempotencyKey: string): Promise<DeliveryReceipt | null>;
  /**
   * Present on channels whose send is a publish on Switchboard's own state backend, not a call to
   * a provider (web chat). Their replies skip the delivery queue: the row is stored as `sent` with
   * this receipt in the commit itself, and the instance that committed sends right after. A push
   * lost to a crash in between is not lost to the customer: the widget reads the transcript by
   * seq when it reconnects.
   */
  readonly atCommit?: { receipt(idempotencyKey: string): DeliveryReceipt };
}

/** One stored reply to deliver: the `said` event at `seq` of the address's conversation. */
export interface OutboundDelivery {
  address: DeliveryAddress;
  seq: number;
  author: 'bot' | 'agent';
  message: OutboundMessage;
}

// ---------------------------------------------------------------------------------------------
// The inbound half: how a connector takes a provider's webhook. verify → parse → acknowledge →
// (a worker runs the turn from the queue) → send → receipt.

/** How a channel formats text it renders: plain text, or a markup it interprets. */
export type TextMarkup = 'plain' | 'markdown' | 'html';

/**
 * What a channel can show, declared by its connector. Replies are rendered for it
 * (channels/degrade.ts `renderFor`): kinds it lacks become text, choices with more options than
 * buttons become a numbered list, long text is split.
 */
export interface ChannelCapabilities {
  /** Message kinds the channel renders natively; `renders` of its sender. */
  readonly kinds: ReadonlySet<OutboundKind>;
  /** Longest text one message may carry. */
  readonly maxTextLength: number;
  /** Most buttons one choice may show; 0 on a text-only channel. */
  readonly maxButtons: number;
  readonly markup: TextMarkup;
}

/** A provider's HTTP request exactly as it arrived: what a signature is checked against. */
export interface RawInboundRequest {
  method: string;
  /** Path and query as received, e.g. `/channels/test?x=1`. */
  path: string;
  /** The URL the provider posted to, as it knows it (PUBLIC_URL + path): Twilio signs this one. */
  publicUrl: string;
  /** Header names in lower case; repeated headers joined with ", ". */
  headers: Readonly<Record<string, string | undefined>>;
  /** The body's exact bytes, never re-serialized: a signature covers these. */
  body: Buffer;
  receivedAt: Date;
}

/** Why a request was refused. Codes only: never the expected signature, never the secret. */
export type VerifyFailure = 'missing_signature' | 'malformed_signature' | 'bad_signature' | 'stale_timestamp';

export type VerifyResult = { ok: true } | { ok: false; reason: VerifyFailure };

/** A provider's report on a message we sent: finds our row by its provider id. */
export interface InboundStatusReport {
  providerMessageId: string;
  report: DeliveryReport;
  /** The channel of the reported message, when one webhook reports for several (Twilio: SMS and WhatsApp); else the connector's. */
  channel?: ChannelName;
  /** The provider reports the recipient unsubscribed (Twilio's 21610): their opt-out on this channel is recorded. */
  unsubscribed?: { address: string };
}

/**
 * What a verified request carries. One webhook may batch several messages (WhatsApp) or be a
 * status report (Twilio's status callback); `ignored` is anything the connector knowingly skips
 * (a typing indicator, an event type it doesn't handle) and is acknowledged all the same, so
 * the provider does not retry it.
 */
export type ParsedInbound =
  /** `reports`: status reports batched with the messages (a WhatsApp webhook may carry both). */
  | { kind: 'messages'; messages: ChannelInbound[]; reports?: InboundStatusReport[] }
  | { kind: 'status_reports'; reports: InboundStatusReport[] }
  | { kind: 'ignored'; reason: string }
  /** Verified but not understood: a 400 naming the fields, and nothing stored. */
  | { kind: 'invalid'; details: Array<{ path: string; message: string }> };

/** What became of one message at acknowledgement. */
export type AcceptedInbound =
  /** Stored and queued for its turn. */
  | 'accepted'
  /** Already stored or processed (the provider retried): acknowledged again, not processed again. */
  | 'duplicate'
  /** The provider's echo of a message we sent: dropped, never answered. */
  | 'echo';

export type Acknowledgement =
  | { kind: 'messages'; results: Array<{ providerMessageId: string; result: AcceptedInbound }> }
  | { kind: 'status_reports'; count: number }
  | { kind: 'ignored' };

/** The HTTP response a provider expects (Twilio: TwiML; Meta: 200 with any body). */
export interface ProviderResponse {
  status: number;
  contentType?: string;
  body?: string;
}

/**
 * What every channel declares, however its messages come in: what it can show and how replies
 * leave. Web chat is one without a webhook: the customer's own browser posts with a session
 * token and reads the replies in the response (channels/webchat/).
 */
export interface ChannelPlugin {
  readonly channel: ChannelName;
  readonly capabilities: ChannelCapabilities;
  /** Its `renders` are `capabilities.kinds`. */
  readonly sender: ChannelSender;
}

/**
 * A webhook channel plug-in, mounted by the registry at `/channels/<path>`:
 *
 * 1. `verify` the raw request (constant time, fail closed): a failure is a 403 and nothing is
 *    parsed or stored;
 * 2. `parse` it into normalized messages;
 * 3. the messages are stored and queued (one transaction), then `acknowledge` answers the
 *    provider within its budget, before any turn runs;
 * 4. a worker runs each turn from the queue; its replies leave through `sender`, which returns
 *    the provider's receipt.
 */
export interface ChannelConnector extends ChannelPlugin {
  /** The segment under `/channels/`: lower-case letters, digits and dashes. */
  readonly path: string;
  /** Bodies larger than this are refused (413) before they are read whole. */
  readonly maxBodyBytes: number;
  verify(request: RawInboundRequest): VerifyResult | Promise<VerifyResult>;
  parse(request: RawInboundRequest): ParsedInbound;
  acknowledge(acknowledgement: Acknowledgement): ProviderResponse;
  /**
   * A provider's subscription check, `GET /channels/<path>` with its query (Meta's
   * `hub.mode=subscribe&hub.verify_token=…&hub.challenge=…`). Absent: no GET route is mounted.
   */
  handshake?(query: Readonly<Record<string, string | undefined>>): ProviderResponse;
  /**
   * Wraps the inbound queue for this connector's messages, for what a channel must record when
   * a message arrives besides storing it (Meta's messaging window, a second id of the sender).
   */
  inbound?(queue: InboundQueue): InboundQueue;
  /**
   * Further POST routes under `/channels/<path>/` taking the same verify → parse steps (Twilio:
   * `status` for status callbacks, `fallback` for its fallback URL); `parse` tells them apart by
   * `request.path`. Lower-case letters, digits and dashes.
   */
  readonly subPaths?: readonly string[];
  /**
   * For providers that take the reply in the webhook's own response (Twilio's TwiML): replaces
   * "store and queue, then `acknowledge`" for a batch of verified messages. It must store and
   * queue them through `queue` before it answers (the turn still runs from the durable queue, so
   * nothing is lost if the instance dies); it may then wait, within the provider's budget, for
   * the turn's replies and return them in the response.
   */
  receive?(messages: readonly ChannelInbound[], queue: InboundQueue): Promise<ProviderResponse>;
}

/**
 * Where verified messages are kept until their turn: each is stored and its processing job
 * queued in one transaction, so an acknowledged message is never lost, and a provider's retry
 * of one already stored is recognised by its provider id.
 */
export interface InboundQueue {
  accept(messages: readonly ChannelInbound[]): Promise<Array<{ providerMessageId: string; result: AcceptedInbound }>>;
}

/** Where providers' status reports go (db/outbound-messages.ts `recordReport`). */
export interface DeliveryReports {
  record(channel: ChannelName, report: InboundStatusReport): Promise<void>;
}
