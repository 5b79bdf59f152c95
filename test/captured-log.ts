import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../server/logger.js';

/** A real logger writing into memory, so a test can read exactly what production would log. */
export function capturedLogger(level = 'info'): { log: Logger; text(): string } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { log: createLogger(level, sink), text: () => lines.join('') };
}
