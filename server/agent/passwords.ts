import { randomBytes } from 'node:crypto';
import { hash, verify, type Algorithm } from '@node-rs/argon2';

/**
 * argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane). The parameters and the
 * salt are part of the PHC string stored, so raising them later leaves old hashes verifiable.
 */
const ARGON2ID = 2 as Algorithm.Argon2id;
const OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, OPTIONS);
}

/** False for a wrong password and for a malformed hash alike. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

/**
 * A hash of a random password, checked when the email is unknown: a sign-in for an address that
 * has no account costs the same time as a wrong password, so timing does not tell which emails exist.
 */
let decoy: Promise<string> | null = null;
export function decoyHash(): Promise<string> {
  decoy ??= hashPassword(randomBytes(24).toString('base64url'));
  return decoy;
}

/** A password to hand to a new user once (`npm run users -- add` without stdin, demo agents). */
export function generatePassword(): string {
  // 18 random bytes: 24 URL-safe characters, about 144 bits.
  return randomBytes(18).toString('base64url');
}
