import type { Kysely } from 'kysely';
import type { Notifier } from '../core/notifier.js';
import type { Database } from '../db/schema.js';
import type { JobLogger, JobQueue } from '../jobs/queue.js';
import { CaseBroadcasts } from './broadcast.js';
import { CaseFollowUps } from './case-follow-ups.js';
import { CaseStore } from './case-store.js';
import type { CaseTemplates } from './case-templates.js';

/** The cases module as the service runs it: the store, broadcasts and follow-ups (the agent API's case routes use them). */
export interface Cases {
  store: CaseStore;
  broadcasts: CaseBroadcasts;
  followUps: CaseFollowUps;
}

/** Builds the cases module and registers its durable jobs (deliveries, follow-ups) on a started queue. */
export async function startCases(deps: { db: Kysely<Database>; jobs: JobQueue; notifier: Notifier; templates: CaseTemplates; shopName: string; log: JobLogger; now?: () => Date }): Promise<Cases> {
  const store = new CaseStore(deps.db, deps.templates);
  const broadcasts = new CaseBroadcasts({ db: deps.db, store, jobs: deps.jobs, notifier: deps.notifier, shopName: deps.shopName, log: deps.log });
  const followUps = new CaseFollowUps({ db: deps.db, store, broadcasts, jobs: deps.jobs, notifier: deps.notifier, log: deps.log, ...(deps.now !== undefined ? { now: deps.now } : {}) });
  await broadcasts.start();
  await followUps.start();
  return { store, broadcasts, followUps };
}
