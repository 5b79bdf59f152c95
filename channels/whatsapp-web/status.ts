import { z } from 'zod';

/**
 * Where the WhatsApp Web session stands, after whatsapp-web.js's events: `starting` until the
 * browser has loaded WhatsApp Web; `qr` while a log-in code waits to be scanned (it changes every
 * few seconds); `authenticated` once scanned or restored from the stored session; `ready` when
 * messages flow; `auth_failure` (the stored session was refused: scan again), `disconnected`
 * (logged out from the phone, or the connection dropped) and `launch_failed` (Chromium did not
 * start, or could not open web.whatsapp.com).
 */
export const WhatsAppWebStateSchema = z.enum(['starting', 'qr', 'authenticated', 'ready', 'auth_failure', 'disconnected', 'launch_failed']);
export type WhatsAppWebState = z.infer<typeof WhatsAppWebStateSchema>;

/** What `GET /admin/whatsapp-web/status` answers: never the log-in code itself, which is a credential. */
export const WhatsAppWebStatusSchema = z.object({
  state: WhatsAppWebStateSchema,
  /** When the state last changed (ISO 8601). */
  since: z.iso.datetime({ offset: true }),
  /** A code, for `auth_failure`, `disconnected` and `launch_failed` (whatsapp-web.js's reason, e.g. LOGOUT). */
  reason: z.string().nullable(),
  /** A log-in QR code is waiting to be scanned on the admin page. */
  waitingForScan: z.boolean(),
});
export type WhatsAppWebStatus = z.infer<typeof WhatsAppWebStatusSchema>;

/** The session's state as events report it; the admin page reads it, the sender asks `ready`. */
export class WhatsAppWebSession {
  private state: WhatsAppWebState = 'starting';
  private since: Date;
  private reason: string | null = null;
  private qr: string | null = null;

  constructor(private readonly now: () => Date = () => new Date()) {
    this.since = now();
  }

  /** A new log-in code: shown until it is scanned or replaced. */
  qrReceived(qr: string): void {
    this.move('qr', null);
    this.qr = qr;
  }

  move(state: WhatsAppWebState, reason: string | null): void {
    this.state = state;
    this.reason = reason;
    this.since = this.now();
    // A code is good only until the state moves on.
    this.qr = null;
  }

  get ready(): boolean {
    return this.state === 'ready';
  }

  /** The code to show while one waits to be scanned. */
  get pendingQr(): string | null {
    return this.state === 'qr' ? this.qr : null;
  }

  status(): WhatsAppWebStatus {
    return { state: this.state, since: this.since.toISOString(), reason: this.reason, waitingForScan: this.pendingQr !== null };
  }
}
