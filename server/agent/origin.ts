import type { IncomingHttpHeaders } from 'node:http';
import type { Request } from 'express';

/**
 * Whether a state-changing request comes from the service's own pages: its Origin header is the
 * origin of PUBLIC_URL, or the origin the request itself was addressed to (scheme and Host, so
 * http://127.0.0.1:3000 works beside http://localhost:3000). A missing Origin is refused too:
 * browsers send it on every POST, and a client that omits it gets no ambient-cookie request through.
 */
export function isOwnOrigin(req: Request, publicUrl: string): boolean {
  const origin = req.get('origin');
  if (origin === undefined) return false;
  return ownOrigins(publicUrl, `${req.protocol}://${req.get('host') ?? ''}`).includes(origin);
}

/** The same rule for a WebSocket upgrade, which has no express request (cross-site socket hijacking). */
export function isOwnUpgradeOrigin(headers: IncomingHttpHeaders, publicUrl: string, scheme: 'http' | 'https'): boolean {
  const origin = headers.origin;
  if (typeof origin !== 'string') return false;
  return ownOrigins(publicUrl, `${scheme}://${headers.host ?? ''}`).includes(origin);
}

function ownOrigins(publicUrl: string, requested: string): string[] {
  const origins = [requested];
  try {
    origins.push(new URL(publicUrl).origin);
  } catch {
    // PUBLIC_URL is validated at start-up; nothing to add if it is not a URL.
  }
  return origins;
}
