import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { parseJson } from '../../core/parse-json.js';
import type { SnapshotStore } from '../../core/stores.js';

const SessionRecordSchema = z.object({ userId: z.string().min(1), createdAt: z.string() });
export type AgentSession = z.infer<typeof SessionRecordSchema> & { token: string };

/**
 * Server-side sessions of console users, kept in the state backend (Redis with REDIS_URL, so
 * every instance knows them; in-process otherwise). The cookie holds a random token; the store
 * is keyed by its SHA-256, so what the store holds cannot be replayed as a cookie. A session
 * ends at its TTL or at sign-out, on every instance at once.
 */
export class AgentSessions {
  constructor(private readonly deps: { store: SnapshotStore; ttlMs: number; now?: () => Date }) {}

  async create(userId: string): Promise<AgentSession> {
    const token = randomBytes(32).toString('base64url');
    const record = { userId, createdAt: (this.deps.now?.() ?? new Date()).toISOString() };
    // Version 0: the key must not exist; 256 random bits never collide in practice, and if they did it fails closed.
    const stored = await this.deps.store.set(keyOf(token), JSON.stringify(record), 0, this.deps.ttlMs);
    if (stored === null) throw new Error('session token collision');
    return { ...record, token };
  }

  /** The session behind a cookie's token, or null (unknown, expired, signed out, malformed). */
  async find(token: string | undefined): Promise<AgentSession | null> {
    if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) return null;
    const stored = await this.deps.store.get(keyOf(token));
    if (stored === null) return null;
    const parsed = SessionRecordSchema.safeParse(parseJson(stored.value));
    return parsed.success ? { ...parsed.data, token } : null;
  }

  async end(token: string): Promise<void> {
    await this.deps.store.delete(keyOf(token));
  }

  get ttlMs(): number {
    return this.deps.ttlMs;
  }
}

function keyOf(token: string): string {
  return `agent-session:${createHash('sha256').update(token).digest('hex')}`;
}

/** The value of one cookie in a Cookie header (the first one of that name). */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}
