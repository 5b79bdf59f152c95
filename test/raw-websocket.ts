import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import net from 'node:net';

/** The answer to an upgrade request, read off the wire. */
export interface UpgradeAnswer {
  /** HTTP status; null when nothing came back before the server closed or the wait ran out. */
  status: number | null;
  /** Header names in lower case. */
  headers: Record<string, string>;
  body: string;
  /** The server closed the connection after answering (a refusal must; a 101 must not). */
  closedByServer: boolean;
}

/**
 * A WebSocket client that writes bytes as given, so a test can send the frames a real client
 * library refuses to produce (unmasked, reserved opcodes, RSV bits, invalid UTF-8, lying lengths).
 */
export class RawWebSocket {
  private data = Buffer.alloc(0);
  private ended = false;
  private wake: () => void = () => undefined;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk: Buffer) => {
      this.data = Buffer.concat([this.data, chunk]);
      this.wake();
    });
    const end = () => {
      this.ended = true;
      this.wake();
    };
    socket.on('end', end);
    socket.on('close', end);
    // Resets are part of what these tests provoke; they show up as a closed connection.
    socket.on('error', end);
  }

  static connect(baseUrl: string): Promise<RawWebSocket> {
    const { hostname, port } = new URL(baseUrl);
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: hostname, port: Number(port) });
      socket.once('connect', () => resolve(new RawWebSocket(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends an upgrade request and reads the answer (the head for a 101, head and body otherwise). */
  async upgrade(target: string, options: { headers?: Record<string, string>; waitMs?: number } = {}): Promise<UpgradeAnswer> {
    const headers: Record<string, string> = {
      Host: 'localhost',
      Upgrade: 'websocket',
      Connection: 'Upgrade',
      'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
      'Sec-WebSocket-Version': '13',
      ...options.headers,
    };
    this.socket.write(`GET ${target} HTTP/1.1\r\n${Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
    // An upgrade nobody answers would hang the test; the wait bounds it (it is not what is asserted).
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      this.socket.destroy();
    }, options.waitMs ?? 5_000);
    try {
      const head = await this.until((data) => {
        const end = data.indexOf('\r\n\r\n');
        return end === -1 ? undefined : end;
      });
      if (head === undefined) return { status: null, headers: {}, body: '', closedByServer: !timedOut };
      const [statusLine = '', ...lines] = this.data.subarray(0, head).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? NaN);
      const parsed = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).trim().toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
      this.data = this.data.subarray(head + 4);
      if (status === 101) return { status, headers: parsed, body: '', closedByServer: false };
      await this.until(() => undefined);
      return { status, headers: parsed, body: this.data.toString('utf8'), closedByServer: !timedOut };
    } finally {
      clearTimeout(timer);
    }
  }

  send(frame: Buffer): void {
    this.socket.write(frame);
  }

  /** Reads server frames until a close frame and returns its status code; null if the connection ended without one. */
  async closeCode(): Promise<number | null> {
    const code = await this.until((data) => {
      let at = 0;
      for (;;) {
        const frame = readServerFrame(data, at);
        if (frame === null) return undefined;
        if (frame.opcode === 0x8) return frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005;
        at = frame.next;
      }
    });
    this.destroy();
    return code ?? null;
  }

  destroy(): void {
    this.socket.destroy();
  }

  /** Waits until `parse` finds what it looks for in the bytes received, or the connection ends. */
  private async until<T>(parse: (data: Buffer) => T | undefined): Promise<T | undefined> {
    for (;;) {
      const found = parse(this.data);
      if (found !== undefined || this.ended) return found;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }
}

/** A client frame; masked unless told otherwise. `declaredLength` lets the header lie about the payload size. */
export function clientFrame(options: { opcode: number; payload: Buffer; fin?: boolean; rsv?: number; masked?: boolean; declaredLength?: number }): Buffer {
  const length = options.declaredLength ?? options.payload.length;
  const masked = options.masked ?? true;
  const first = ((options.fin ?? true) ? 0x80 : 0) | ((options.rsv ?? 0) << 4) | options.opcode;
  const maskBit = masked ? 0x80 : 0;
  let head: Buffer;
  if (length < 126) head = Buffer.from([first, maskBit | length]);
  else if (length < 65_536) {
    head = Buffer.alloc(4);
    head.writeUInt8(first, 0);
    head.writeUInt8(maskBit | 126, 1);
    head.writeUInt16BE(length, 2);
  } else {
    head = Buffer.alloc(10);
    head.writeUInt8(first, 0);
    head.writeUInt8(maskBit | 127, 1);
    head.writeBigUInt64BE(BigInt(length), 2);
  }
  if (!masked) return Buffer.concat([head, options.payload]);
  const key = randomBytes(4);
  const payload = Buffer.from(options.payload.map((byte, i) => byte ^ (key[i % 4] ?? 0)));
  return Buffer.concat([head, key, payload]);
}

function readServerFrame(data: Buffer, at: number): { opcode: number; payload: Buffer; next: number } | null {
  if (data.length < at + 2) return null;
  const opcode = (data[at] ?? 0) & 0x0f;
  let length = (data[at + 1] ?? 0) & 0x7f;
  let offset = at + 2;
  if (length === 126) {
    if (data.length < offset + 2) return null;
    length = data.readUInt16BE(offset);
    offset += 2;
  } else if (length === 127) {
    if (data.length < offset + 8) return null;
    length = Number(data.readBigUInt64BE(offset));
    offset += 8;
  }
  if (data.length < offset + length) return null;
  return { opcode, payload: data.subarray(offset, offset + length), next: offset + length };
}

/** Descriptors this process holds (the server under test runs in it). */
export function openDescriptors(): number {
  return readdirSync('/proc/self/fd').length;
}
