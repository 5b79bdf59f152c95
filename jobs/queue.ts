import pgBossPlans from 'pg-boss/src/plans.js';
import PgBoss from 'pg-boss';
import { detailsFromZodIssues, SwitchboardError } from '../core/errors.js';
import type { SqlExecutor } from '../db/connection.js';
import { deadLetterQueueName, type JobDefinition } from './job-definition.js';
import { DeadLetters } from './dead-letters.js';
import { JobFailure, jobFailureReason } from './job-failure.js';

export interface JobLogger {
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

export interface JobQueueOptions {
  /** The application's database (DatabaseHandle): Postgres or embedded PGlite alike. */
  database: SqlExecutor;
  log: JobLogger;
  /** pg-boss keeps its tables in this schema, apart from the application's. */
  schema?: string;
  /** How often an idle worker looks for jobs; `wake()` cuts it short on this instance. */
  pollingIntervalSeconds?: number;
  /** How often expired jobs (dead workers) are failed into retry; shared by every instance. */
  maintenanceIntervalSeconds?: number;
  /** How long `stop()` waits for running jobs before failing them into retry. */
  stopTimeoutMs?: number;
}

export interface SendOptions {
  /** Not before this time, or this many seconds from now (by the database's clock). */
  startAfter?: Date | number;
  /** Defaults to the definition's key (the conversation). */
  singletonKey?: string;
  retryLimit?: number;
  retryDelaySeconds?: number;
  retryBackoff?: boolean;
  /**
   * Send inside the caller's transaction (db/connection.ts `transactionExecutor`): the job
   * exists iff it commits. Required inside a transaction: on PGlite the database is one session,
   * and a send outside it would wait for the transaction to end, which waits for the send.
   */
  executor?: SqlExecutor;
}

export interface JobContext {
  id: string;
  /** 0 on the first run. */
  retryCount: number;
}

export type JobHandler<T> = (data: T, job: JobContext) => Promise<void>;

const DEFAULT_SCHEMA = 'pgboss';

/**
 * The durable job queue: pg-boss on the application's database (Postgres or PGlite), with
 * named queues whose payloads are checked by zod on the way in and out. Jobs survive restarts;
 * a job whose worker died is failed by maintenance once it expires and retried; a job whose
 * retries are spent lands in its queue's dead-letter queue (`<name>-dead`), which no worker
 * takes, for operators to see.
 */
export class JobQueue {
  private readonly boss: PgBoss;
  private readonly schema: string;
  private readonly registered = new Set<string>();
  private readonly workers = new Map<string, string[]>();
  private state: 'created' | 'started' | 'stopping' | 'stopped' = 'created';
  /** Statements and handlers in flight, so `stop()` returns only once nothing touches the database. */
  private inFlight = 0;
  readonly deadLetters: DeadLetters;

  constructor(private readonly options: JobQueueOptions) {
    this.schema = options.schema ?? DEFAULT_SCHEMA;
    // pg-boss 10 calls complete()/fail() after a handler without awaiting them, so a database
    // outage at that moment is an unhandled rejection, which ends a Node process. Those two
    // writes are made infallible here instead: if one is lost the job stays active, expires and
    // is retried, which every handler already tolerates (they are idempotent).
    const fireAndForget = new Set([pgBossPlans.completeJobs(this.schema), pgBossPlans.failJobsById(this.schema)]);
    const counted: SqlExecutor = {
      executeSql: async (text, values) => {
        this.inFlight += 1;
        try {
          return await options.database.executeSql(text, values);
        } catch (error) {
          if (!fireAndForget.has(text)) throw error;
          options.log.warn({ err: error }, 'job queue could not record a job outcome; the job will expire and be retried');
          return { rows: [{ count: '0' }] };
        } finally {
          this.inFlight -= 1;
        }
      },
    };
    this.boss = new PgBoss({
      db: counted,
      schema: this.schema,
      supervise: true,
      maintenanceIntervalSeconds: options.maintenanceIntervalSeconds ?? 60,
      // No cron schedules yet: delayed jobs (timeouts, reminders) are `startAfter`.
      schedule: false,
    });
    // An EventEmitter without an 'error' listener would throw; pg-boss reports polling and maintenance failures here.
    this.boss.on('error', (error) => options.log.warn({ err: error }, 'job queue error'));
    this.deadLetters = new DeadLetters(options.database, this.schema);
  }

  /** Installs or migrates pg-boss's schema (once, under its advisory lock) and starts maintenance. */
  async start(): Promise<void> {
    if (this.state !== 'created') return;
    await this.boss.start();
    this.state = 'started';
  }

  /** Creates the queue and its dead-letter queue, or updates their settings. Idempotent. */
  async register<T>(def: JobDefinition<T>): Promise<void> {
    const dead = deadLetterQueueName(def.name);
    await this.boss.createQueue(dead, { name: dead });
    const settings = {
      name: def.name,
      retryLimit: def.retryLimit,
      retryDelay: def.retryDelaySeconds,
      retryBackoff: def.retryBackoff,
      expireInSeconds: def.expireInSeconds,
      deadLetter: dead,
    };
    await this.boss.createQueue(def.name, settings);
    await this.boss.updateQueue(def.name, settings);
    this.registered.add(def.name);
  }

  /** Validates and stores a job; its id. */
  async send<T>(def: JobDefinition<T>, data: T, options: SendOptions = {}): Promise<string> {
    this.assertRegistered(def);
    const parsed = def.schema.safeParse(data);
    if (!parsed.success) {
      throw new SwitchboardError('SB_ERR_INTERNAL', `A ${def.name} job does not match its schema`, detailsFromZodIssues(parsed.error.issues, 'data'));
    }
    const singletonKey = options.singletonKey ?? def.key?.(parsed.data);
    const id = await this.boss.send(def.name, parsed.data as object, {
      ...(options.startAfter !== undefined ? { startAfter: options.startAfter } : {}),
      ...(singletonKey !== undefined ? { singletonKey } : {}),
      ...(options.retryLimit !== undefined ? { retryLimit: options.retryLimit } : {}),
      ...(options.retryDelaySeconds !== undefined ? { retryDelay: options.retryDelaySeconds } : {}),
      ...(options.retryBackoff !== undefined ? { retryBackoff: options.retryBackoff } : {}),
      ...(options.executor !== undefined ? { db: options.executor } : {}),
    });
    // Null only when a uniqueness policy refused it; these queues have none.
    if (id === null) throw new SwitchboardError('SB_ERR_INTERNAL', `The ${def.name} job was not stored`);
    return id;
  }

  /**
   * Stores one job per payload in a single statement, on `executor` (the caller's transaction):
   * the event writer's group commit nudges every conversation of its batch at once. Each job gets
   * its definition's key and the queue's retry settings.
   */
  async sendMany<T>(def: JobDefinition<T>, data: readonly T[], options: { executor: SqlExecutor }): Promise<void> {
    this.assertRegistered(def);
    if (data.length === 0) return;
    const jobs = data.map((item, i) => {
      const parsed = def.schema.safeParse(item);
      if (!parsed.success) {
        throw new SwitchboardError('SB_ERR_INTERNAL', `A ${def.name} job does not match its schema`, detailsFromZodIssues(parsed.error.issues, `data[${i}]`));
      }
      const singletonKey = def.key?.(parsed.data);
      return { name: def.name, data: parsed.data as object, ...(singletonKey !== undefined ? { singletonKey } : {}) };
    });
    await this.boss.insert(jobs, { db: options.executor });
  }

  /**
   * Runs `handler` for each job, `concurrency` at a time on this instance. A payload that does
   * not parse is poison: it goes to the dead-letter queue at once, without retries. Failures are
   * stored as a reason code only (the error's text may quote personal data).
   */
  async work<T>(def: JobDefinition<T>, handler: JobHandler<T>, options: { concurrency?: number } = {}): Promise<void> {
    this.assertRegistered(def);
    const run = async (jobs: Array<PgBoss.JobWithMetadata<unknown>>): Promise<void> => {
      this.inFlight += 1;
      try {
        for (const job of jobs) await this.runOne(def, handler, job);
      } finally {
        this.inFlight -= 1;
      }
    };
    const ids: string[] = [];
    for (let i = 0; i < (options.concurrency ?? 1); i += 1) {
      ids.push(
        await this.boss.work<unknown>(
          def.name,
          { includeMetadata: true, batchSize: 1, pollingIntervalSeconds: this.options.pollingIntervalSeconds ?? 2 },
          run,
        ),
      );
    }
    this.workers.set(def.name, [...(this.workers.get(def.name) ?? []), ...ids]);
  }

  private async runOne<T>(def: JobDefinition<T>, handler: JobHandler<T>, job: PgBoss.JobWithMetadata<unknown>): Promise<void> {
    // Fetched while stopping: hand it back to be retried rather than run it on a closing database.
    if (this.state !== 'started') throw new JobFailure('shutdown');
    const parsed = def.schema.safeParse(job.data);
    if (!parsed.success) {
      await this.spendRetries(def.name, job.id);
      this.options.log.error({ queue: def.name, jobId: job.id }, 'job payload does not match its schema; dead-lettered');
      throw new JobFailure('invalid_payload');
    }
    try {
      await handler(parsed.data, { id: job.id, retryCount: job.retryCount });
    } catch (error) {
      const reason = jobFailureReason(error);
      this.options.log.warn({ queue: def.name, jobId: job.id, retryCount: job.retryCount, reason, err: error }, 'job failed');
      throw new JobFailure(reason);
    }
  }

  /**
   * pg-boss 10 has no "fail without retry": a job whose retry limit equals its retry count is
   * failed for good, and so dead-lettered (its `job` table, schema version 24).
   */
  private async spendRetries(queue: string, id: string): Promise<void> {
    await this.options.database.executeSql(`update ${this.schema}.job set retry_limit = retry_count where name = $1 and id = $2`, [queue, id]);
  }

  /** Makes this instance's idle workers of `def` look for jobs now (after the commit that stored one). */
  wake<T>(def: JobDefinition<T>): void {
    for (const id of this.workers.get(def.name) ?? []) this.boss.notifyWorker(id);
  }

  /** Jobs not finished yet: waiting, retrying or running. */
  async pending<T>(def: JobDefinition<T>): Promise<number> {
    return this.boss.getQueueSize(def.name, { before: 'completed' });
  }

  /**
   * Stops taking jobs, waits up to `stopTimeoutMs` for running ones (then fails them into
   * retry), and returns once no statement of the queue is in flight, so the database can close.
   */
  async stop(): Promise<void> {
    if (this.state === 'stopping' || this.state === 'stopped') return;
    const wasStarted = this.state === 'started';
    this.state = 'stopping';
    if (wasStarted) {
      const timeout = this.options.stopTimeoutMs ?? 10_000;
      // A database that is already gone must not keep the service from closing the rest.
      await this.boss.stop({ graceful: true, wait: true, close: false, timeout }).catch((error: unknown) => this.options.log.warn({ err: error }, 'job queue did not stop cleanly'));
      const deadline = Date.now() + timeout;
      // A worker may still be inside a fetch that began before stop(); its job is handed back.
      while (this.inFlight > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    this.state = 'stopped';
  }

  private assertRegistered<T>(def: JobDefinition<T>): void {
    if (this.state !== 'started') throw new SwitchboardError('SB_ERR_SHUTTING_DOWN', `The job queue is ${this.state === 'created' ? 'not started' : 'stopped'}`);
    if (!this.registered.has(def.name)) throw new SwitchboardError('SB_ERR_INTERNAL', `Job queue ${def.name} is not registered`);
  }
}
