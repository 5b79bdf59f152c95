import type { OutboundMessage } from '../../core/message.js';
import { KNOWLEDGE_COPY_EN as COPY } from '../copy/knowledge.js';
import type { KnowledgeSource } from './index.js';

export interface ArticleCitationDeps {
  knowledge: KnowledgeSource;
  publicUrl(): string;
}

/** Where the help centre shows an article. */
export function articleUrl(deps: Pick<ArticleCitationDeps, 'publicUrl'>, articleId: string): string {
  return `${deps.publicUrl()}/help/${articleId}`;
}

/**
 * A card quoting the passage of a published article that best matches `query`, linking the
 * article. Null when the article isn't published (an editor unpublished it): the flow's own
 * answer still stands, it just goes uncited rather than pointing at a page that isn't there.
 */
export function citeArticle(deps: ArticleCitationDeps, articleId: string, query: string): OutboundMessage | null {
  const { base, retriever } = deps.knowledge.current();
  const article = base.articles.find((a) => a.id === articleId && a.status === 'published');
  if (article === undefined) return null;
  const hit = retriever.searchLexical(query, { limit: 20 }).find((r) => r.article.id === articleId);
  const excerpt = hit?.passage.excerpt ?? firstParagraph(article.body);
  return { kind: 'card', title: article.title, text: excerpt, link: { title: COPY.readArticle(article.title), url: articleUrl(deps, articleId) } };
}

function firstParagraph(markdown: string): string {
  const paragraph = markdown.split(/\n\s*\n/).find((p) => p.trim() !== '' && !p.trim().startsWith('#')) ?? '';
  return paragraph.replace(/[*_`]/g, '').trim().slice(0, 320);
}
