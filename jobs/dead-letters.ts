import { z } from 'zod';
import type { SqlExecutor } from '../db/connection.js';
import { DEAD_LETTER_SUFFIX } from './job-definition.js';

/** A job whose retries were spent, as operators see it (GET /admin/jobs/dead). */
export const DeadJobSchema = z.object({
  /** The dead-letter job's own id. */
  id: z.string(),
  /** The queue it failed in. */
  queue: z.string().meta({ example: 'outbound-delivery' }),
  /** Its payload as sent: ids, never personal data. */
  data: z.unknown(),
  reason: z.string().meta({
    description: "A code: what the handler's failure was (`JobFailure`), `expired` (its worker died or hung), `invalid_payload` or `shutdown`; never the error's text.",
    example: 'database_unavailable',
  }),
  deadSince: z.string(),
});
export type DeadJob = z.infer<typeof DeadJobSchema>;

const RowSchema = z.object({
  id: z.string(),
  name: z.string(),
  data: z.unknown(),
  output: z.unknown(),
  created_on: z.union([z.date(), z.string()]),
});

const SAFE_CODE = /^[A-Za-z][A-Za-z0-9_]{0,60}$/;

/** pg-boss copies the failed job's output to the dead-letter job; three shapes reach it. */
function reasonOf(output: unknown): string {
  const failure = z.object({ name: z.literal('JobFailure'), message: z.string() }).safeParse(output);
  if (failure.success) return SAFE_CODE.test(failure.data.message) ? failure.data.message : 'error';
  const message = z
    .object({ message: z.string() })
    .or(z.object({ value: z.union([z.string(), z.object({ message: z.string() })]) }))
    .safeParse(output);
  if (!message.success) return 'unknown';
  const text = 'message' in message.data ? message.data.message : typeof message.data.value === 'string' ? message.data.value : message.data.value.message;
  // Maintenance expiring an active job, or pg-boss timing the handler out itself.
  if (text.includes('timeout in active state') || text.startsWith('handler execution exceeded')) return 'expired';
  if (text.includes('shut down')) return 'shutdown';
  return 'unknown';
}

/**
 * Reads the dead-letter queues. Nothing works them, so their jobs wait in `created` until an
 * operator acts or pg-boss archives them (their retention is twice the original's).
 */
export class DeadLetters {
  constructor(
    private readonly database: SqlExecutor,
    private readonly schema: string,
  ) {}

  async list(limit = 100): Promise<DeadJob[]> {
    const { rows } = await this.database.executeSql(
      `select id::text as id, name, data, output, created_on from ${this.schema}.job
       where right(name, $1) = $2 and state in ('created', 'retry')
       order by created_on desc limit $3`,
      [DEAD_LETTER_SUFFIX.length, DEAD_LETTER_SUFFIX, limit],
    );
    return rows.map((raw) => {
      const row = RowSchema.parse(raw);
      return {
        id: row.id,
        queue: row.name.slice(0, -DEAD_LETTER_SUFFIX.length),
        data: row.data,
        reason: reasonOf(row.output),
        deadSince: new Date(row.created_on).toISOString(),
      };
    });
  }
}
