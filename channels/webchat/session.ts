import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Web-chat session tokens: `v1.<visitorId>.<hmac>`. The visitor id is minted by the server
 * (128 random bits), so a client can neither choose nor guess another visitor's conversation.
 */
export class WebchatSessions {
  constructor(private readonly secret: string) {}

  mint(): { visitorId: string; token: string } {
    const visitorId = randomBytes(16).toString('base64url');
    return { visitorId, token: `v1.${visitorId}.${this.sign(visitorId)}` };
  }

  /** The visitor id of a valid token, else null. */
  verify(token: string | undefined): string | null {
    if (token === undefined) return null;
    const [version, visitorId, signature] = token.split('.');
    if (version !== 'v1' || !visitorId || !signature || !/^[A-Za-z0-9_-]{22}$/.test(visitorId)) return null;
    const expected = Buffer.from(this.sign(visitorId));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given) ? visitorId : null;
  }

  private sign(visitorId: string): string {
    return createHmac('sha256', this.secret).update(`webchat:${visitorId}`).digest('base64url');
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
