import { DeliveryError, type ChannelCapabilities, type ChannelSender, type DeliveryAddress, type DeliveryReceipt, type SendContext } from '../../core/channel.js';
import { degradeToText, type OutboundKind, type OutboundMessage } from '../../core/message.js';
import { renderFor } from '../degrade.js';
import { signTestChannelRequest } from './signature.js';
import { TestChannelReceiptSchema, type TestChannelSend } from './wire.js';

/** Failures that happen before a request is written: nothing reached the provider. */
const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

export interface TestChannelSenderOptions {
  secret: string;
  /** TEST_CHANNEL_OUTBOUND_URL: the loopback provider that takes our sends. */
  outboundUrl: string;
  capabilities: ChannelCapabilities;
  /** Longer than any answer from a loopback provider; a send still open then may have happened. */
  timeoutMs?: number;
  now?: () => Date;
}

/**
 * Sends a reply as one signed POST to the test provider: the reply rendered for a text-only
 * channel (a choice as a numbered list), split into parts that fit, and the provider's id back
 * as the receipt. The provider delivers each idempotency key once, so a send whose outcome is
 * unknown may be repeated.
 */
export class TestChannelSender implements ChannelSender {
  readonly channel = 'test' as const;
  readonly renders: ReadonlySet<OutboundKind>;
  readonly dedupesByIdempotencyKey = true;

  constructor(private readonly options: TestChannelSenderOptions) {
    this.renders = options.capabilities.kinds;
  }

  async send(address: DeliveryAddress, message: OutboundMessage, context: SendContext): Promise<DeliveryReceipt> {
    const parts = renderFor(message, this.options.capabilities).map((part) => (part.kind === 'text' ? part.text : degradeToText(part)));
    const request: TestChannelSend = { to: address.senderId, idempotencyKey: context.idempotencyKey, parts };
    const body = JSON.stringify(request);
    let res: Response;
    try {
      res = await fetch(this.options.outboundUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...signTestChannelRequest(this.options.secret, body, this.options.now?.() ?? new Date()) },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new DeliveryError(notSent(error) ? { kind: 'unavailable' } : { kind: 'unknown_outcome' }, { cause: error });
    }
    return receiptOf(res);
  }
}

async function receiptOf(res: Response): Promise<DeliveryReceipt> {
  const text = await res.text().catch(() => '');
  if (res.status === 429) {
    // Delay-seconds only: the provider of our own wire format sends no HTTP dates.
    const header = res.headers.get('retry-after');
    const seconds = header !== null && /^\d{1,6}$/.test(header.trim()) ? Number(header.trim()) : null;
    throw new DeliveryError({ kind: 'rate_limited', retryAfterMs: seconds === null ? null : seconds * 1000 });
  }
  if (res.status >= 500) throw new DeliveryError({ kind: 'unavailable' });
  if (res.status !== 200 && res.status !== 201) throw new DeliveryError({ kind: 'rejected', providerCode: String(res.status) });
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  const receipt = TestChannelReceiptSchema.safeParse(json);
  // Accepted, but without an id we cannot tell the message apart: it was sent, so never resend blindly.
  if (!receipt.success) throw new DeliveryError({ kind: 'unknown_outcome' });
  return { providerMessageId: receipt.data.id };
}

function notSent(error: unknown): boolean {
  const cause: unknown = error instanceof Error ? error.cause : undefined;
  const code = typeof cause === 'object' && cause !== null && 'code' in cause ? (cause as { code: unknown }).code : undefined;
  return typeof code === 'string' && NOT_SENT_CODES.has(code);
}
