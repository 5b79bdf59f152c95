import type { Kysely } from 'kysely';
import type { Notifier } from '../core/notifier.js';
import type { Database } from '../db/schema.js';
import type { JobLogger, JobQueue } from '../jobs/queue.js';
import { CaseBroadcasts } from './broadcast.js';
import { CaseSatisfaction } from './case-csat.js';
import { CaseFollowUps } from './case-follow-ups.js';
import { CaseReminders } from './case-reminders.js';
import { CaseStore } from './case-store.js';
import type { CaseTemplates } from './case-templates.js';

/** The cases module as the service runs it: the store, broadcasts, follow-ups, satisfaction questions and reminders (the agent API's case routes use them). */
export interface Cases {
  store: CaseStore;
  broadcasts: CaseBroadcasts;
  followUps: CaseFollowUps;
  csat: CaseSatisfaction;
  reminders: CaseReminders;
}

/** Builds the cases module and registers its durable jobs (deliveries, follow-ups, satisfaction questions) on a started queue. */
export async function startCases(deps: {
  db: Kysely<Database>;
  jobs: JobQueue;
  notifier: Notifier;
  templates: CaseTemplates;
  shopName: string;
  log: JobLogger;
  /** PUBLIC_URL, for the satisfaction email's links. */
  publicUrl: () => string;
  /** SESSION_SECRET, from which the satisfaction links' key is derived. */
  secret: string;
  now?: () => Date;
}): Promise<Cases> {
  const now = deps.now !== undefined ? { now: deps.now } : {};
  const store = new CaseStore(deps.db, deps.templates);
  const broadcasts = new CaseBroadcasts({ db: deps.db, store, jobs: deps.jobs, notifier: deps.notifier, shopName: deps.shopName, log: deps.log });
  const followUps = new CaseFollowUps({ db: deps.db, store, broadcasts, jobs: deps.jobs, notifier: deps.notifier, log: deps.log, ...now });
  const csat = new CaseSatisfaction({ db: deps.db, jobs: deps.jobs, notifier: deps.notifier, shopName: deps.shopName, publicUrl: deps.publicUrl, secret: deps.secret, log: deps.log, ...now });
  await broadcasts.start();
  await followUps.start();
  await csat.start();
  return { store, broadcasts, followUps, csat, reminders: new CaseReminders(deps.db) };
}
