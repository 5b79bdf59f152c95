import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** One "was this helpful?" answer about an article. */
export interface ArticleFeedbackEntry {
  articleId: string;
  conversationId: string;
  helpful: boolean;
}

/** The "was this helpful?" log the editor's article statistics count. */
export class ArticleFeedback {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Stores one answer. Callers check that the article exists first: the payload comes from the
   * customer's client and could name anything.
   */
  async record(entry: ArticleFeedbackEntry): Promise<void> {
    await this.db.insertInto('kb_feedback').values({ article_id: entry.articleId, conversation_id: entry.conversationId, helpful: entry.helpful }).execute();
  }
}
