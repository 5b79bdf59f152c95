import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One message the sink accepted, as its recipient's mail client would read it. */
export interface ReceivedMail {
  /** Who authenticated to send it. */
  user: string | undefined;
  envelopeFrom: string | null;
  envelopeTo: string[];
  parsed: ParsedMail;
}

/** An SMTP error reply: nodemailer sees exactly what a real server's 4xx/5xx would give it. */
function smtpError(code: number, text: string): Error {
  return Object.assign(new Error(text), { responseCode: code });
}

/**
 * A loopback mail server (smtp-server) that requires AUTH, parses every message it accepts with
 * mailparser, and can refuse on cue: the next messages with a 4xx ("try later"), or one
 * recipient for good with a 550. Tests read what each customer received here.
 */
export class SmtpSink {
  readonly received: ReceivedMail[] = [];
  /** Messages refused with 451 before the next one is accepted. */
  private deferNext = 0;
  private readonly unknownMailboxes = new Set<string>();
  private readonly server: SMTPServer;
  private waiters: Array<() => void> = [];

  constructor(
    readonly user = 'switchboard',
    readonly password = 'sink-password-0123',
  ) {
    this.server = new SMTPServer({
      authMethods: ['PLAIN', 'LOGIN'],
      // Loopback: no TLS to set up; AUTH over plain text is fine here.
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      logger: false,
      onAuth: (auth, _session, callback) => {
        if (auth.username === this.user && auth.password === this.password) callback(null, { user: auth.username });
        else callback(smtpError(535, 'Authentication credentials invalid'));
      },
      onRcptTo: (address, _session, callback) => {
        if (this.unknownMailboxes.has(address.address.toLowerCase())) callback(smtpError(550, 'No such user here'));
        else callback();
      },
      onData: (stream, session, callback) => {
        const deferred = this.deferNext > 0;
        if (deferred) this.deferNext -= 1;
        simpleParser(stream)
          .then((parsed) => {
            if (deferred) return callback(smtpError(451, 'Try again later'));
            this.received.push({
              user: typeof session.user === 'string' ? session.user : undefined,
              envelopeFrom: session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address,
              envelopeTo: session.envelope.rcptTo.map((r) => r.address),
              parsed,
            });
            callback();
            for (const wake of this.waiters.splice(0)) wake();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error('unparseable message')));
      },
    });
  }

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server.server.address() as AddressInfo).port;
  }

  /** SMTP_URL for this sink, with the right (or the given) credentials. */
  url(password = this.password): string {
    return `smtp://${encodeURIComponent(this.user)}:${encodeURIComponent(password)}@127.0.0.1:${this.port}`;
  }

  /** Refuse the next `times` messages with 451 (a server that is busy or restarting). */
  deferNextMessages(times: number): void {
    this.deferNext = times;
  }

  /** Refuse this recipient for good (550). */
  rejectRecipient(address: string): void {
    this.unknownMailboxes.add(address.toLowerCase());
  }

  /** Messages to one address, oldest first. */
  to(address: string): ReceivedMail[] {
    return this.received.filter((m) => m.envelopeTo.some((a) => a.toLowerCase() === address.toLowerCase()));
  }

  /** Resolves once `count` messages have reached `address` (or rejects after `timeoutMs`). */
  async waitFor(address: string, count = 1, timeoutMs = 15_000): Promise<ReceivedMail[]> {
    const deadline = Date.now() + timeoutMs;
    while (this.to(address).length < count) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`expected ${count} message(s) to ${address}, got ${this.to(address).length}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 250));
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
    return this.to(address);
  }

  /** The 6-digit code in the newest message to `address`. */
  async latestCode(address: string): Promise<string> {
    const messages = await this.waitFor(address);
    const text = messages.at(-1)?.parsed.text ?? '';
    const code = /\b(\d{6})\b/.exec(text)?.[1];
    if (code === undefined) throw new Error(`no code in the newest message to ${address}`);
    return code;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
