import type { ArticleSuggestion, ConversationDetail, Suggestions } from '../../core/agent-api.js';
import type { Retriever } from '../../knowledge/index.js';

/** Intents that say nothing about the topic ("hi", "a person please"): left out of the query. */
const TOPICLESS_INTENTS = new Set(['human_agent', 'greeting', 'goodbye', 'thanks', 'affirm', 'deny', 'oos', 'complaint', 'legal_threat']);
/** How many of the customer's latest messages make the query. */
const RECENT_MESSAGES = 4;
const MIN_INTENT_CONFIDENCE = 0.5;

/**
 * What to search the help centre for: the customer's latest messages and the topics the bot
 * recognised in them (`troubleshoot_audio` → "audio"), so "it makes no noise" still finds the
 * speaker article through its intent.
 */
export function suggestionQuery(detail: Pick<ConversationDetail, 'transcript' | 'understanding'>): string {
  const said = detail.transcript.filter((t) => t.author === 'customer').slice(-RECENT_MESSAGES).map((t) => t.text);
  const topics = detail.understanding
    .filter((u) => u.intent !== null && !TOPICLESS_INTENTS.has(u.intent) && u.confidence >= MIN_INTENT_CONFIDENCE)
    .map((u) => (u.intent ?? '').replace(/^(info|troubleshoot)_/, '').replace(/_/g, ' '));
  return [...said, ...new Set(topics)].join(' ').slice(0, 1000);
}

/**
 * Help articles for the conversation, from the published knowledge the bot answers FAQs from
 * (the same retriever), each with its help page and the passage worth quoting.
 */
export async function suggestArticles(
  detail: Pick<ConversationDetail, 'transcript' | 'understanding'>,
  deps: { retriever(): Retriever; publicUrl(): string },
  limit = 3,
): Promise<Suggestions> {
  const query = suggestionQuery(detail);
  if (query.trim() === '') return { query, articles: [] };
  const found = await deps.retriever().search(query, { limit });
  const articles: ArticleSuggestion[] = found.map((r) => ({
    articleId: r.article.id,
    title: r.article.title,
    url: `${deps.publicUrl()}/help/${encodeURIComponent(r.article.id)}`,
    heading: r.passage.heading,
    excerpt: r.passage.excerpt,
  }));
  return { query, articles };
}
