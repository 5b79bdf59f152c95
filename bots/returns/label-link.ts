import { createHmac, timingSafeEqual } from 'node:crypto';

export type LabelLinkCheck = 'valid' | 'expired' | 'bad_signature';

/**
 * Signed, expiring links to return labels. Anyone holding the link can download the label (it
 * is emailed and may be forwarded to whoever drops the parcel off), so the link is the
 * credential: HMAC over the RMA and the expiry, with a key derived from the session secret for
 * this one purpose.
 */
export class ReturnLabelLinks {
  private readonly key: Buffer;

  constructor(sessionSecret: string, private readonly validDays: number) {
    this.key = createHmac('sha256', sessionSecret).update('switchboard:return-label-links:v1').digest();
  }

  static path(rma: string): string {
    return `/returns/${encodeURIComponent(rma)}/label.pdf`;
  }

  private signature(rma: string, expires: number): Buffer {
    return createHmac('sha256', this.key).update(`${rma}\n${expires}`).digest();
  }

  /** The absolute download URL, valid for the policy's label lifetime from `now`. */
  url(publicUrl: string, rma: string, now: Date): string {
    const expires = Math.floor(now.getTime() / 1000) + this.validDays * 24 * 60 * 60;
    const sig = this.signature(rma, expires).toString('base64url');
    return `${publicUrl}${ReturnLabelLinks.path(rma)}?expires=${expires}&sig=${sig}`;
  }

  /** Checks a link in constant time; the signature is checked before the expiry is trusted. */
  check(rma: string, expires: string | undefined, sig: string | undefined, now: Date): LabelLinkCheck {
    if (expires === undefined || sig === undefined || !/^\d{1,12}$/.test(expires)) return 'bad_signature';
    const expected = this.signature(rma, Number(expires));
    const given = Buffer.from(sig, 'base64url');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'bad_signature';
    return Number(expires) * 1000 < now.getTime() ? 'expired' : 'valid';
  }
}
