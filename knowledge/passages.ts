import type { Article } from './articleSchema.js';
import { renderPassage } from './renderPassage.js';

/** A quotable chunk of an article: one paragraph or list under its nearest heading. */
export interface Passage {
  /** `${articleId}#${index}` */
  id: string;
  articleId: string;
  /** The nearest heading above the passage, or the article title for the opening text. */
  heading: string;
  markdown: string;
  /** `renderPassage(markdown)`, computed once at index time. */
  text: string;
}

/** Blocks shorter than this join the next block, so a lead-in like "Before you start:" stays with its list. */
const MIN_WORDS = 14;
/** Blocks are merged up to about this size; longer ones stay as they are. */
const MAX_WORDS = 120;
/**
 * Blocks under one heading stay together up to this size: a section answers one question, and
 * its table and the exception after it ("…until January 15") belong in the same passage.
 */
const SECTION_WORDS = 100;

/** Splits an article body into passages by heading, then by blank-line blocks. */
export function splitPassages(article: Pick<Article, 'id' | 'title' | 'body'>): Passage[] {
  const passages: Passage[] = [];
  let heading = article.title;
  let pending: string[] = [];

  const flush = (): void => {
    const markdown = pending.join('\n\n').trim();
    pending = [];
    if (markdown === '') return;
    passages.push({ id: `${article.id}#${passages.length}`, articleId: article.id, heading, markdown, text: renderPassage(markdown) });
  };

  for (const block of article.body.replace(/\r\n?/g, '\n').split(/\n\s*\n/)) {
    const trimmed = block.trim();
    if (trimmed === '') continue;
    const headingMatch = /^#{1,6}\s+(.+)$/m.exec(trimmed);
    if (headingMatch !== null && trimmed.startsWith('#')) {
      flush();
      heading = (headingMatch[1] ?? '').replace(/[*_`]/g, '').trim();
      const rest = trimmed.slice(trimmed.indexOf('\n') === -1 ? trimmed.length : trimmed.indexOf('\n') + 1).trim();
      if (rest !== '') pending.push(rest);
      continue;
    }
    const words = countWords(pending.join(' '));
    const endsWithLeadIn = /:\s*$/.test(pending[pending.length - 1] ?? '');
    if (pending.length > 0 && !endsWithLeadIn && words >= MIN_WORDS && words + countWords(trimmed) > SECTION_WORDS) flush();
    else if (pending.length > 0 && words + countWords(trimmed) > MAX_WORDS && !endsWithLeadIn) flush();
    pending.push(trimmed);
  }
  flush();
  return passages;
}

function countWords(text: string): number {
  return text.split(/\s+/).filter((w) => w !== '').length;
}
