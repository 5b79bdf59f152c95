import type { PubSub, Unsubscribe } from '../../core/stores.js';
import type { KnowledgeBase } from '../loadKnowledgeBase.js';
import { createRetriever, type Retriever, type RetrieverOptions } from '../retriever.js';
import type { TroubleshootingTree } from '../treeSchema.js';
import type { ArticleReads } from './articleReads.js';
import type { KnowledgeLog } from './knowledgeLog.js';

export type { KnowledgeLog } from './knowledgeLog.js';

/** Topic on which an instance tells the others that the published set changed. */
export const KB_PUBLISHED_TOPIC = 'kb-published';
/** Safety net for a lost pub/sub message (Redis blip right after a publish). */
const DEFAULT_RESYNC_MS = 30_000;

export interface PublishedKnowledgeOptions {
  reads: ArticleReads;
  pubsub: PubSub;
  /** Guided troubleshooting trees (content files, not versioned in the database). */
  trees: TroubleshootingTree[];
  retrieverOptions?: RetrieverOptions;
  log?: KnowledgeLog;
  /** How often to compare the published set with the database anyway; 0 turns it off. */
  resyncMs?: number;
}

interface Snapshot {
  base: KnowledgeBase;
  retriever: Retriever;
  fingerprint: string;
}

/**
 * What the bot answers from: the published version of every published article and a retriever
 * over them, replaced as a whole (readers never see half a rebuild). A publish on any instance
 * rebuilds it here and, through pub/sub, on every other instance.
 */
export class PublishedKnowledge {
  private snapshot: Snapshot;
  private queue: Promise<void> = Promise.resolve();
  private unsubscribe: Unsubscribe | null = null;
  private timer: NodeJS.Timeout | null = null;

  private constructor(
    private readonly options: PublishedKnowledgeOptions,
    first: Snapshot,
  ) {
    this.snapshot = first;
  }

  static async open(options: PublishedKnowledgeOptions): Promise<PublishedKnowledge> {
    const holder = new PublishedKnowledge(options, await build(options));
    holder.unsubscribe = await options.pubsub.subscribe(KB_PUBLISHED_TOPIC, () => {
      void holder.reload();
    });
    const resyncMs = options.resyncMs ?? DEFAULT_RESYNC_MS;
    if (resyncMs > 0) {
      holder.timer = setInterval(() => void holder.reload({ onlyIfChanged: true }), resyncMs);
      holder.timer.unref();
    }
    return holder;
  }

  /** The KnowledgeSource the flows read. */
  current(): { base: KnowledgeBase; retriever: Retriever } {
    return { base: this.snapshot.base, retriever: this.snapshot.retriever };
  }

  /**
   * Rebuilds from the database. Calls run one after another, each reading the database afresh,
   * so the last to finish reflects the latest published set. Never rejects: a failed rebuild
   * keeps serving the previous set.
   */
  reload(options: { onlyIfChanged?: boolean } = {}): Promise<void> {
    const run = async (): Promise<void> => {
      try {
        if (options.onlyIfChanged === true && (await this.options.reads.publishedFingerprint()) === this.snapshot.fingerprint) return;
        this.snapshot = await build(this.options);
      } catch (error) {
        this.options.log?.warn({ err: error }, 'knowledge base rebuild failed; still serving the previous published set');
      }
    };
    this.queue = this.queue.then(run);
    return this.queue;
  }

  /** After a publish, rollback or unpublish here: rebuild now, then tell every other instance. */
  async changed(change: { id: string; publishedVersion: number | null }): Promise<void> {
    await this.reload();
    try {
      await this.options.pubsub.publish(KB_PUBLISHED_TOPIC, JSON.stringify(change));
    } catch (error) {
      // The change is committed; other instances pick it up at their next resync.
      this.options.log?.warn({ err: error, articleId: change.id }, 'could not announce a knowledge-base change');
    }
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    const unsubscribe = this.unsubscribe;
    this.unsubscribe = null;
    await unsubscribe?.().catch(() => undefined);
    await this.queue;
  }
}

async function build(options: PublishedKnowledgeOptions): Promise<Snapshot> {
  const fingerprint = await options.reads.publishedFingerprint();
  // Refused versions are left out here and logged by the reads (once each, with their code).
  const { articles } = await options.reads.publishedArticles();
  return {
    base: { articles, trees: options.trees },
    retriever: createRetriever(articles, options.retrieverOptions ?? {}),
    fingerprint,
  };
}
