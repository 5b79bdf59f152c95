import type { Server } from 'node:http';
import type { DescriptorReader } from './descriptors.js';
import type { Logger } from './logger.js';

/** Why the process can't take new connections. */
export type CapacityProblem = 'descriptors-exhausted' | 'accept-failing';

export type CapacityStatus = { ok: true } | { ok: false; problem: CapacityProblem };

/** Above this share of the descriptor limit the next connections are about to fail. */
export const DESCRIPTOR_USE_LIMIT = 0.9;
/** An accept error this recent means new clients are being turned away right now. */
export const ACCEPT_ERROR_WINDOW_MS = 10_000;
const OUT_OF_DESCRIPTORS = new Set(['EMFILE', 'ENFILE']);

/**
 * Whether the process can still accept connections, for /healthz and /readyz. A process out of
 * descriptors is alive but useless (libuv accepts and drops every new client), so health must
 * fail while it lasts and recover when descriptors come back, and never stay green in between.
 */
export class AcceptCapacity {
  private lastAcceptError: number | null = null;

  constructor(
    private readonly deps: { readDescriptors: DescriptorReader; log: Logger; now?: () => number },
  ) {}

  /**
   * Records the server's accept errors. Also keeps them from ending the process: a net server
   * emits 'error' when accept() fails, and an unhandled 'error' would be thrown.
   */
  watch(server: Server): void {
    server.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== undefined && OUT_OF_DESCRIPTORS.has(error.code)) this.lastAcceptError = this.now();
      this.deps.log.error({ code: error.code, syscall: error.syscall }, 'the server could not accept a connection');
    });
  }

  async check(): Promise<CapacityStatus> {
    if (this.lastAcceptError !== null && this.now() - this.lastAcceptError < ACCEPT_ERROR_WINDOW_MS) return { ok: false, problem: 'accept-failing' };
    const usage = await this.deps.readDescriptors();
    // Unknown usage (no /proc) or no limit: only accept errors can tell.
    if (usage === null || usage.limit === null) return { ok: true };
    return usage.open >= usage.limit * DESCRIPTOR_USE_LIMIT ? { ok: false, problem: 'descriptors-exhausted' } : { ok: true };
  }

  private now(): number {
    return (this.deps.now ?? Date.now)();
  }
}
