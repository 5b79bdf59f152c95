import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { SwitchboardError } from '../core/errors.js';

/** A client that stops reading must not keep the descriptor of a refused upgrade. */
const REFUSAL_GRACE_MS = 2_000;

/**
 * Answers an upgrade request with a plain HTTP error (the catalogue's JSON body, as any other
 * route) and destroys the socket. Once an 'upgrade' listener exists node hands the raw socket
 * over and answers nothing itself, so a socket left unanswered here stays open for good: that
 * is how ~38,000 stray upgrades once exhausted the descriptor limit.
 */
export function refuseUpgrade(socket: Duplex, error: SwitchboardError): void {
  if (socket.destroyed) return;
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const body = JSON.stringify(error.toJSON());
  const head = [
    `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? 'Error'}`,
    'Connection: close',
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    ...(error.retryAfterSeconds !== undefined ? [`Retry-After: ${error.retryAfterSeconds}`] : []),
  ];
  const grace = setTimeout(() => socket.destroy(), REFUSAL_GRACE_MS);
  grace.unref();
  socket.once('close', () => clearTimeout(grace));
  // Destroy after the response is flushed ('finish'), not before, or the client may see a reset instead of the status.
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
