import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Metrics } from './registry.js';

/** pg-boss's schema (jobs/queue.ts keeps its tables there). */
const JOB_SCHEMA = 'pgboss';

/**
 * Reads the shared tables behind the `*_current` gauges, once per scrape: queue depth and oldest
 * waiting job per job queue (pg-boss's queue and job tables; every queue is listed, an empty one
 * at 0), outbound messages per channel and status. Two grouped queries per scrape.
 */
export async function refreshDatabaseGauges(db: Kysely<Database>, metrics: Metrics): Promise<void> {
  const jobs = await sql<{ name: string; waiting: string; oldest_seconds: string | null }>`
    select q.name, count(j.id) as waiting, extract(epoch from now() - min(j.created_on)) as oldest_seconds
    from ${sql.table(`${JOB_SCHEMA}.queue`)} q
    left join ${sql.table(`${JOB_SCHEMA}.job`)} j on j.name = q.name and j.state in ('created', 'retry')
    group by q.name`.execute(db);
  const outbound = await db.selectFrom('outbound_messages').select(['channel', 'status', db.fn.countAll<string>().as('count')]).groupBy(['channel', 'status']).execute();
  // Reset first: a status no row has any more disappears instead of keeping its last count.
  metrics.queueDepth.reset();
  metrics.oldestJobSeconds.reset();
  metrics.outboundMessages.reset();
  for (const row of jobs.rows) {
    metrics.queueDepth.set({ queue: row.name }, Number(row.waiting));
    metrics.oldestJobSeconds.set({ queue: row.name }, Math.max(0, Number(row.oldest_seconds ?? 0)));
  }
  for (const row of outbound) metrics.outboundMessages.set({ channel: row.channel, status: row.status }, Number(row.count));
}
