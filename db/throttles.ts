import { sql, type Kysely } from 'kysely';
import type { Database } from './schema.js';

/** One counter's standing: hits in the current window and when that window ends. */
export interface ThrottleCount {
  key: string;
  count: number;
  resetsAt: Date;
}

/** A hit on one counter; the window starts at the first hit and lasts `windowMs`. */
export interface ThrottleHit {
  key: string;
  windowMs: number;
}

/**
 * Fixed-window counters in the database, for budgets that a restart must not reset and that
 * every instance must share (verification attempts, codes sent). The state backend can't hold
 * them: in the embedded deployment it is process memory. One statement per call, atomic per key
 * (`INSERT … ON CONFLICT DO UPDATE … RETURNING`), on PGlite and Postgres alike.
 */
export class ThrottleRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds one to every key and returns the new counts; a key whose window ended starts again at 1. */
  async hit(hits: readonly ThrottleHit[], now: Date): Promise<ThrottleCount[]> {
    // Same key twice in one statement is an error in Postgres; a fixed order means two
    // concurrent calls lock their rows in the same order and can't deadlock.
    const unique = [...new Map(hits.map((h) => [h.key, h])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    if (unique.length === 0) return [];
    const rows = await this.db
      .insertInto('throttle_counters')
      .values(unique.map((h) => ({ key: h.key, count: 1, expires_at: new Date(now.getTime() + h.windowMs) })))
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          // Both expressions read the row as it was before this update.
          count: sql<number>`case when throttle_counters.expires_at <= ${now} then 1 else throttle_counters.count + 1 end`,
          expires_at: sql<Date>`case when throttle_counters.expires_at <= ${now} then excluded.expires_at else throttle_counters.expires_at end`,
        }),
      )
      .returning(['key', 'count', 'expires_at'])
      .execute();
    return rows.map(toCount);
  }

  /** The counts of the keys whose window is still open (absent keys have count 0). */
  async peek(keys: readonly string[], now: Date): Promise<ThrottleCount[]> {
    if (keys.length === 0) return [];
    const rows = await this.db
      .selectFrom('throttle_counters')
      .select(['key', 'count', 'expires_at'])
      .where('key', 'in', [...new Set(keys)])
      .where('expires_at', '>', now)
      .execute();
    return rows.map(toCount);
  }

  /** Deletes counters whose window ended; returns how many. */
  async sweep(now: Date): Promise<number> {
    const result = await this.db.deleteFrom('throttle_counters').where('expires_at', '<=', now).executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function toCount(row: { key: string; count: number; expires_at: Date }): ThrottleCount {
  return { key: row.key, count: row.count, resetsAt: new Date(row.expires_at) };
}

/** Sweeps expired counters periodically (they are harmless but would accumulate). */
export function startThrottleSweeper(repo: ThrottleRepository, options: { intervalMs: number; onError: (error: unknown) => void }): { stop(): void } {
  const timer = setInterval(() => {
    repo.sweep(new Date()).catch(options.onError);
  }, options.intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
