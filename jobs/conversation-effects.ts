import type { Kysely } from 'kysely';
import type { ChannelSender } from '../core/channel.js';
import type { ChannelName } from '../core/message.js';
import type { Notifier } from '../core/notifier.js';
import type { CasePlacement } from '../db/cases.js';
import { ConversationEffects } from '../db/conversation-effects.js';
import { OutboundNotifications } from '../db/outbound-notifications.js';
import type { Database } from '../db/schema.js';
import { conversationEffectsJob } from './conversation-effects-job.js';
import { ConversationEffectRecorder } from './effect-recorder.js';
import { DEFAULT_EFFECT_POLICY, EffectWorker, type EffectPolicy } from './effect-worker.js';
import type { OutboundQueue } from './outbound-queue.js';
import type { JobLogger, JobQueue } from './queue.js';

export interface StartedConversationEffects {
  /** Give it to the event writer: effects are recorded with the events that decided them. */
  recorder: ConversationEffectRecorder;
  effects: ConversationEffects;
  worker: EffectWorker;
}

/**
 * Registers the effects queue on a started `JobQueue`, starts this instance's effect workers and
 * nudges every conversation a previous run left with effects to run.
 */
export async function startConversationEffects(deps: {
  db: Kysely<Database>;
  jobs: JobQueue;
  outbound: OutboundQueue;
  notifier: Notifier;
  /** Every channel's sender: replies on those sent at commit (web chat) are pushed by the recorder. */
  senders: ReadonlyMap<ChannelName, ChannelSender>;
  log: JobLogger;
  policy?: Partial<EffectPolicy>;
  concurrency?: number;
  /** Where the bot's cases land (their template: crm/case-bot.ts). */
  placeCase?: CasePlacement;
}): Promise<StartedConversationEffects> {
  const policy: EffectPolicy = { ...DEFAULT_EFFECT_POLICY, ...deps.policy };
  const job = conversationEffectsJob(policy.leaseSeconds, policy.retryDelaySeconds);
  await deps.jobs.register(job);
  const effects = new ConversationEffects(deps.db);
  const worker = new EffectWorker({ effects, notifier: deps.notifier, notifications: new OutboundNotifications(deps.db), jobs: deps.jobs, job, policy, log: deps.log });
  await deps.jobs.work(job, ({ conversationId }) => worker.drain(conversationId), { concurrency: deps.concurrency ?? 2 });
  const pending = await effects.conversationsWithPending(1000);
  for (const conversationId of pending) await deps.jobs.send(job, { conversationId });
  if (pending.length > 0) deps.jobs.wake(job);
  const recorder = new ConversationEffectRecorder({ outbound: deps.outbound, effects, jobs: deps.jobs, job, senders: deps.senders, log: deps.log, ...(deps.placeCase !== undefined ? { placeCase: deps.placeCase } : {}) });
  return { recorder, effects, worker };
}
