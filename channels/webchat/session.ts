import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

const VISITOR_ID = /^[A-Za-z0-9_-]{22}$/;
const KEY_ID = /^[A-Za-z0-9_-]{8}$/;
const EXPIRES_AT = /^\d{1,12}$/;
const SIGNATURE = /^[A-Za-z0-9_-]{43}$/;
/** Far above a real token's length (~100); anything longer is refused before any work. */
const MAX_TOKEN_LENGTH = 256;

export interface WebchatSessionOptions {
  /** SESSION_SECRET: signs every new token. */
  secret: string;
  /** SESSION_SECRET_PREVIOUS: tokens they signed are still accepted until they expire. */
  previousSecrets?: readonly string[];
  /** WEBCHAT_TOKEN_TTL_HOURS. */
  ttlHours: number;
  now?: () => Date;
}

/**
 * Web-chat session tokens: `v2.<kid>.<visitorId>.<expiresAt>.<hmac>`. The visitor id is minted
 * by the server (128 random bits), so a client can neither choose nor guess another visitor's
 * conversation. `expiresAt` (Unix seconds) bounds how long a leaked token is worth anything;
 * `kid` names the secret that signed it (a keyed hash, never the secret), so the secret can be
 * rotated: tokens of a previous secret are accepted while they last, unknown ones never.
 */
export class WebchatSessions {
  private readonly current: { kid: string; secret: string };
  private readonly keys: ReadonlyMap<string, string>;
  private readonly now: () => Date;

  constructor(private readonly options: WebchatSessionOptions) {
    this.current = { kid: keyIdOf(options.secret), secret: options.secret };
    const keys = new Map<string, string>([[this.current.kid, options.secret]]);
    for (const secret of options.previousSecrets ?? []) {
      const kid = keyIdOf(secret);
      if (!keys.has(kid)) keys.set(kid, secret);
    }
    this.keys = keys;
    this.now = options.now ?? (() => new Date());
  }

  mint(): { visitorId: string; token: string; expiresAt: string } {
    const visitorId = randomBytes(16).toString('base64url');
    const expiresAt = Math.floor(this.now().getTime() / 1000) + this.options.ttlHours * 3600;
    const unsigned = `v2.${this.current.kid}.${visitorId}.${expiresAt}`;
    return { visitorId, token: `${unsigned}.${sign(this.current.secret, unsigned)}`, expiresAt: new Date(expiresAt * 1000).toISOString() };
  }

  /** The visitor id of a valid, unexpired token signed by a known secret; else null. */
  verify(token: string | undefined): string | null {
    if (token === undefined || token.length > MAX_TOKEN_LENGTH) return null;
    const parts = token.split('.');
    if (parts.length !== 5) return null;
    const [version, kid, visitorId, expiresAt, signature] = parts as [string, string, string, string, string];
    if (version !== 'v2' || !KEY_ID.test(kid) || !VISITOR_ID.test(visitorId) || !EXPIRES_AT.test(expiresAt) || !SIGNATURE.test(signature)) return null;
    const secret = this.keys.get(kid);
    if (secret === undefined) return null;
    const expected = Buffer.from(sign(secret, `${version}.${kid}.${visitorId}.${expiresAt}`));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    return Number(expiresAt) * 1000 > this.now().getTime() ? visitorId : null;
  }
}

/** A short, stable name for a secret that says nothing about it. */
export function keyIdOf(secret: string): string {
  return createHmac('sha256', secret).update('switchboard webchat key id').digest('base64url').slice(0, 8);
}

function sign(secret: string, unsigned: string): string {
  return createHmac('sha256', secret).update(`webchat:${unsigned}`).digest('base64url');
}

export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? '');
  return match?.[1];
}
