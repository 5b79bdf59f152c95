import { sql, type RawBuilder } from 'kysely';

/** `value` seconds as a Postgres interval, for leases and delays measured by the database's clock. */
export function seconds(value: number): RawBuilder<unknown> {
  return sql`(${value}::float8 * interval '1 second')`;
}
