import type { z } from 'zod';

/** Dead-letter queues are named after their queue with this suffix. */
export const DEAD_LETTER_SUFFIX = '-dead';

/**
 * A named queue and the shape of its jobs. Payloads carry ids, never personal data: failed jobs
 * are shown to operators as they are (GET /admin/jobs/dead).
 */
export interface JobDefinition<T> {
  readonly name: string;
  readonly schema: z.ZodType<T>;
  /** Retries after the first run, for failures the handler throws (a crash, a database outage). */
  readonly retryLimit: number;
  readonly retryDelaySeconds: number;
  readonly retryBackoff: boolean;
  /**
   * How long a run may take. A job still active after this is failed and retried (its worker
   * died or hung); detected by the queue's maintenance, so allow for its interval too.
   */
  readonly expireInSeconds: number;
  /**
   * The conversation (or other) key a job belongs to, recorded with it. Handlers that must keep
   * a conversation's order drain that conversation's rows by seq under a claim (as outbound
   * delivery does); the queue itself promises no order between retries.
   */
  readonly key: ((data: T) => string) | null;
}

export function defineJob<S extends z.ZodType>(spec: {
  name: string;
  schema: S;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  expireInSeconds?: number;
  key?: (data: z.infer<S>) => string;
}): JobDefinition<z.infer<S>> {
  if (!/^[a-z][a-z0-9-]{0,60}$/.test(spec.name) || isDeadLetterQueueName(spec.name)) {
    throw new Error(`Job queue name ${JSON.stringify(spec.name)}: use lower-case letters, digits and dashes, not ending in "${DEAD_LETTER_SUFFIX}"`);
  }
  return {
    name: spec.name,
    schema: spec.schema as z.ZodType<z.infer<S>>,
    retryLimit: spec.retryLimit ?? 3,
    retryDelaySeconds: spec.retryDelaySeconds ?? 5,
    retryBackoff: spec.retryBackoff ?? true,
    expireInSeconds: spec.expireInSeconds ?? 5 * 60,
    key: spec.key ?? null,
  };
}

/** Where a queue's jobs go once their retries are spent. */
export function deadLetterQueueName(name: string): string {
  return `${name}${DEAD_LETTER_SUFFIX}`;
}

export function isDeadLetterQueueName(name: string): boolean {
  return name.endsWith(DEAD_LETTER_SUFFIX);
}
