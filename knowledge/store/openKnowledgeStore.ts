import type { Kysely } from 'kysely';
import type { PubSub } from '../../core/stores.js';
import type { Database } from '../../db/schema.js';
import { DEFAULT_KNOWLEDGE_DIR, loadKnowledgeBase } from '../loadKnowledgeBase.js';
import type { RetrieverOptions } from '../retriever.js';
import { ArticleRepository } from './articleRepository.js';
import { importShippedArticles } from './importShipped.js';
import { PublishedKnowledge, type KnowledgeLog } from './publishedKnowledge.js';

export interface KnowledgeStore {
  articles: ArticleRepository;
  published: PublishedKnowledge;
  close(): Promise<void>;
}

/**
 * Start-up of the knowledge base: validates the shipped content, imports the articles into an
 * empty database, and builds the published set the bot answers from.
 */
export async function openKnowledgeStore(options: {
  db: Kysely<Database>;
  pubsub: PubSub;
  dir?: string;
  /** Import the shipped (demo) articles into an empty database. Default true. */
  importShipped?: boolean;
  log?: KnowledgeLog;
  retrieverOptions?: RetrieverOptions;
  resyncMs?: number;
}): Promise<KnowledgeStore> {
  const dir = options.dir ?? DEFAULT_KNOWLEDGE_DIR;
  // Trees stay files; loading the whole folder also checks their links to shipped article ids.
  const shipped = await loadKnowledgeBase(dir);
  const { imported } = options.importShipped === false ? { imported: 0 } : await importShippedArticles(options.db, dir);
  if (imported > 0) options.log?.info({ articles: imported }, 'imported the shipped knowledge-base articles');
  const articles = new ArticleRepository(options.db, options.log !== undefined ? { log: options.log } : {});
  const published = await PublishedKnowledge.open({
    reads: articles,
    pubsub: options.pubsub,
    trees: shipped.trees,
    ...(options.log !== undefined ? { log: options.log } : {}),
    ...(options.retrieverOptions !== undefined ? { retrieverOptions: options.retrieverOptions } : {}),
    ...(options.resyncMs !== undefined ? { resyncMs: options.resyncMs } : {}),
  });
  return { articles, published, close: () => published.close() };
}
