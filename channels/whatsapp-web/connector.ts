import type { ChannelPlugin, DeliveryReport, DeliveryReports, InboundQueue } from '../../core/channel.js';
import { parseWhatsAppWebMessage } from './parse.js';
import { WHATSAPP_WEB_CAPABILITIES, WhatsAppWebSender } from './sender.js';
import { WhatsAppWebSession } from './status.js';
import type { WhatsAppWebAck, WhatsAppWebClient, WhatsAppWebMessage } from './wire.js';

export interface WhatsAppWebLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
  debug(obj: object, msg: string): void;
}

/** What the `whatsapp` channel becomes with WHATSAPP_WEB=true (docs/channels.md). */
export interface WhatsAppWebChannel {
  /** The `whatsapp` channel's plug-in: registered directly (no webhook: messages arrive as the client's events). */
  plugin: ChannelPlugin;
  /** The whatsapp-web.js Client it wraps (tests emit its events). */
  client: WhatsAppWebClient;
  session: WhatsAppWebSession;
  /**
   * Hands the client's messages to the inbound queue and its acknowledgements to the delivery
   * reports, then launches the browser (`launch`, whatsapp-web.js `initialize`). A launch that
   * fails leaves the state `launch_failed`, logged; the service keeps running without the channel.
   */
  connect(deps: { inbound: InboundQueue; reports: DeliveryReports }): void;
  /** Resolves when every message event received so far was stored or skipped. */
  settled(): Promise<void>;
  /** Closes the browser (the session stays stored under DATA_DIR for the next start). */
  close(): Promise<void>;
}

/** whatsapp-web.js acknowledgements that report something: 2 device, 3 read, 4 played, -1 error. */
function reportOf(ack: WhatsAppWebAck): DeliveryReport | null {
  if (ack === -1) return 'failed';
  if (ack === 2) return 'delivered';
  if (ack === 3 || ack === 4) return 'read';
  return null;
}

/**
 * Wraps a whatsapp-web.js `Client`: its state events move the session shown on the admin page,
 * each `message` event is parsed and stored through the same inbound queue as the webhook
 * channels (idempotent on the message id, so an event seen twice is one message and one turn),
 * and replies leave through `client.sendMessage`.
 */
export function whatsAppWebChannel(options: {
  client: WhatsAppWebClient;
  log: WhatsAppWebLogger;
  /** Starts the browser; whatsapp-web.js `initialize` unless a test never launches one. */
  launch?: (client: WhatsAppWebClient) => Promise<void>;
  now?: () => Date;
}): WhatsAppWebChannel {
  const { client, log } = options;
  const now = options.now ?? (() => new Date());
  const session = new WhatsAppWebSession(now);
  const inFlight = new Set<Promise<void>>();
  let launched: Promise<void> | null = null;

  client.on('qr', (qr) => {
    session.qrReceived(qr);
    log.info({ state: 'qr' }, 'WhatsApp Web is waiting for its QR code to be scanned on /admin/whatsapp-web');
  });
  client.on('authenticated', () => session.move('authenticated', null));
  client.on('ready', () => {
    session.move('ready', null);
    log.info({ state: 'ready' }, 'WhatsApp Web is connected');
  });
  client.on('auth_failure', () => {
    // The library's text may name the account; the state says enough.
    session.move('auth_failure', 'auth_failure');
    log.warn({ state: 'auth_failure' }, 'WhatsApp Web refused the stored session: scan a new QR code on /admin/whatsapp-web');
  });
  client.on('disconnected', (reason) => {
    const code = typeof reason === 'string' && /^[A-Z_]{1,40}$/.test(reason) ? reason : 'unknown';
    session.move('disconnected', code);
    log.warn({ state: 'disconnected', reason: code }, 'WhatsApp Web disconnected');
  });

  const phoneOf = async (chatId: string): Promise<string | null> => {
    try {
      const [found] = await client.getContactLidAndPhone([chatId]);
      const digits = /^(\d{5,20})@c\.us$/.exec(found?.pn ?? '');
      return digits?.[1] ?? null;
    } catch {
      return null;
    }
  };

  const take = async (msg: WhatsAppWebMessage, inbound: InboundQueue): Promise<void> => {
    try {
      const parsed = await parseWhatsAppWebMessage(msg, { receivedAt: now(), phoneOf });
      if (parsed.kind === 'skipped') {
        log.debug({ channel: 'whatsapp', reason: parsed.reason }, 'WhatsApp Web message skipped');
        return;
      }
      await inbound.accept([parsed.message]);
    } catch (error) {
      // WhatsApp Web does not redeliver an event: the message stays unanswered on the phone, and the log says so.
      log.error({ channel: 'whatsapp', err: error instanceof Error ? error.name : 'unknown' }, 'a WhatsApp Web message could not be stored; it is not answered');
    }
  };

  return {
    plugin: {
      channel: 'whatsapp',
      capabilities: WHATSAPP_WEB_CAPABILITIES,
      sender: new WhatsAppWebSender({ client, ready: () => session.ready }),
    },
    client,
    session,
    connect: ({ inbound, reports }) => {
      if (launched !== null) return;
      client.on('message', (msg) => {
        const taking = take(msg, inbound);
        inFlight.add(taking);
        void taking.finally(() => inFlight.delete(taking));
      });
      client.on('message_ack', (msg, ack) => {
        const report = reportOf(ack);
        if (report === null || !msg.id._serialized) return;
        reports.record('whatsapp', { providerMessageId: msg.id._serialized, report }).catch((error: unknown) => {
          log.warn({ channel: 'whatsapp', err: error instanceof Error ? error.name : 'unknown' }, 'a WhatsApp Web acknowledgement could not be recorded');
        });
      });
      launched = (options.launch ?? ((c) => c.initialize()))(client).catch((error: unknown) => {
        session.move('launch_failed', 'launch_failed');
        log.error({ channel: 'whatsapp', err: error instanceof Error ? error.message : 'unknown' }, 'WhatsApp Web could not start: Chromium did not launch or web.whatsapp.com was unreachable (WHATSAPP_WEB_CHROMIUM; docs/channels.md)');
      });
    },
    settled: async () => {
      while (inFlight.size > 0) await Promise.all([...inFlight]);
    },
    close: async () => {
      await Promise.all([...inFlight]);
      if (launched === null) return;
      await launched;
      await client.destroy().catch(() => undefined);
    },
  };
}
