import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Decides whether the hop at `addr` (`i` hops from the socket) is a proxy whose X-Forwarded-For we believe. */
export type TrustProxy = (addr: string, i: number) => boolean;

/**
 * Compiles TRUST_PROXY. Unset trusts no one: behind no proxy, X-Forwarded-For is whatever the
 * client typed, so believing it (even from loopback, where a local proxy may sit) lets any client
 * pick the address its rate limits are counted against.
 */
export function compileTrustProxy(setting: string | undefined): TrustProxy {
  if (setting === undefined || setting.trim() === '') return () => false;
  const hops = /^\s*(\d+)\s*$/.exec(setting);
  if (hops) {
    const count = Number(hops[1]);
    return (_addr, i) => i < count;
  }
  return proxyaddr.compile(setting.split(',').map((s) => s.trim()));
}

/** The client's address for an HTTP or upgrade request, by the same rule express uses for `req.ip`. */
export function clientIp(req: IncomingMessage, trust: TrustProxy): string {
  if (req.socket.remoteAddress === undefined) return 'unknown';
  return proxyaddr(req, trust);
}
