import type { GenerativeAnswerer, GroundingPassage } from '../../core/grounding.js';
import type { OutboundMessage } from '../../core/message.js';
import { KNOWLEDGE_COPY_EN as COPY } from '../copy/knowledge.js';
import { renderPassage, type RetrievedArticle } from '../../knowledge/index.js';
import type { KnowledgeSource } from '../flows/index.js';
import { judgeRetrieval, type RetrievalConfidence } from './confidence.js';

/** Passages a generated answer may draw on: more adds noise, fewer misses the second-best article. */
const GROUNDING_PASSAGES = 3;

export interface KnowledgeAnswererDeps {
  knowledge: KnowledgeSource;
  generative: GenerativeAnswerer | null;
  publicUrl(): string;
}

export interface AnswerRequest {
  question: string;
  /** Product name or device family the answer must be about (general articles still count). */
  product?: string | undefined;
  locale?: string | undefined;
  /** Answer from this article only (a part of a question the whole of which chose it). */
  articleId?: string | undefined;
  /** The least confidence at which to answer: the fallback asks for `confident`. */
  minimum: Exclude<RetrievalConfidence, 'none'>;
}

export type ComposedAnswer =
  | { kind: 'answered'; articleId: string; generated: boolean; messages: OutboundMessage[] }
  | { kind: 'unsure'; confidence: RetrievalConfidence };

/**
 * Answers a question from the published knowledge base: the quoted passage and a link to the
 * article, or a generated answer grounded in the top passages and citing them when a chat
 * model is configured. Never guesses: below the requested confidence it says it is unsure.
 */
export class KnowledgeAnswerer {
  constructor(private readonly deps: KnowledgeAnswererDeps) {}

  articleUrl(articleId: string): string {
    return `${this.deps.publicUrl()}/help/${encodeURIComponent(articleId)}`;
  }

  async answer(request: AnswerRequest): Promise<ComposedAnswer> {
    const { retriever } = this.deps.knowledge.current();
    const options = {
      ...(request.product !== undefined ? { product: request.product } : {}),
      ...(request.locale !== undefined ? { locale: request.locale } : {}),
      ...(request.articleId !== undefined ? { articleId: request.articleId } : {}),
      limit: GROUNDING_PASSAGES,
    };
    // Within an article already chosen (by the whole question), a part only picks the passage:
    // scores within one article say nothing about confidence.
    const confidence = request.articleId !== undefined ? request.minimum : judgeRetrieval(request.question, retriever.searchLexical(request.question, options));
    if (confidence === 'none' || (request.minimum === 'confident' && confidence !== 'confident')) return { kind: 'unsure', confidence };
    const ranked = await retriever.search(request.question, options);
    const top = ranked[0];
    if (top === undefined) return { kind: 'unsure', confidence: 'none' };
    const generated = await this.generated(request.question, ranked);
    if (generated !== null) return generated;
    return { kind: 'answered', articleId: top.article.id, generated: false, messages: [this.quoteCard(top)] };
  }

  /** The article's title, the passage quoted as written, and the link to read the rest. */
  quoteCard(hit: RetrievedArticle, title = hit.article.title): Extract<OutboundMessage, { kind: 'card' }> {
    const heading = hit.passage.heading !== hit.article.title && hit.passage.heading !== '' ? `${hit.passage.heading}\n` : '';
    const excerpt = hit.passage.excerpt !== '' ? hit.passage.excerpt : renderPassage(hit.passage.markdown);
    return {
      kind: 'card',
      title,
      text: `${heading}${COPY.quoted(excerpt)}`,
      link: { title: COPY.readFullArticle, url: this.articleUrl(hit.article.id) },
    };
  }

  /** A grounded, cited answer; null when no model is configured, it declined, failed or cited nothing it was given. */
  private async generated(question: string, ranked: readonly RetrievedArticle[]): Promise<ComposedAnswer | null> {
    const model = this.deps.generative;
    if (model === null) return null;
    const passages: GroundingPassage[] = ranked.map((hit) => ({
      articleId: hit.article.id,
      title: hit.article.title,
      url: this.articleUrl(hit.article.id),
      text: renderPassage(hit.passage.markdown),
    }));
    let result: Awaited<ReturnType<GenerativeAnswerer['answer']>>;
    try {
      result = await model.answer(question, passages);
    } catch {
      // The model is optional: when it is down the quoted passage is still a correct answer.
      return null;
    }
    if (result === null || result.text.trim() === '') return null;
    const cited = ranked.filter((hit) => result.citedArticleIds.includes(hit.article.id));
    const first = cited[0];
    if (first === undefined) return null;
    return {
      kind: 'answered',
      articleId: first.article.id,
      generated: true,
      messages: [
        { kind: 'text', text: result.text.trim() },
        ...cited.map((hit) => this.quoteCard(hit, COPY.sourceTitle(hit.article.title))),
      ],
    };
  }
}
