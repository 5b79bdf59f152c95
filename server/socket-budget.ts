/** Why a socket was refused: one client holds its share, or the instance holds all it may. */
export type SocketRefusal = 'per-ip' | 'total';

export type SocketReservation = { ok: true; release(): void } | { ok: false; reason: SocketRefusal };

/**
 * Counts the WebSocket connections an instance holds, per client IP and in total
 * (SOCKETS_PER_IP, SOCKETS_TOTAL). A slot is taken before the handshake and authentication
 * run, not after, so a burst of simultaneous upgrades can't all pass the check while the first
 * ones are still being authenticated.
 */
export class SocketBudget {
  private readonly perIp = new Map<string, number>();
  private total = 0;

  constructor(private readonly limits: { perIp: number; total: number }) {}

  reserve(ip: string): SocketReservation {
    const held = this.perIp.get(ip) ?? 0;
    if (this.total >= this.limits.total) return { ok: false, reason: 'total' };
    if (held >= this.limits.perIp) return { ok: false, reason: 'per-ip' };
    this.perIp.set(ip, held + 1);
    this.total += 1;
    let released = false;
    return {
      ok: true,
      // Called from several places (refusal, socket close); only the first call counts.
      release: () => {
        if (released) return;
        released = true;
        this.total -= 1;
        const left = (this.perIp.get(ip) ?? 1) - 1;
        // Drop the entry so a scan of many addresses doesn't grow the map forever.
        if (left === 0) this.perIp.delete(ip);
        else this.perIp.set(ip, left);
      },
    };
  }

  /** Slots in use: for one IP, or in total. */
  held(ip?: string): number {
    return ip === undefined ? this.total : (this.perIp.get(ip) ?? 0);
  }
}
