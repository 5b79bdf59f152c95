import type { ContentProblem } from '../knowledgeError.js';
import type { KnowledgeLog } from './knowledgeLog.js';

/** Distinct refusals remembered; past this the memory starts over rather than grow. */
const REMEMBERED = 1000;

/**
 * Reports stored article versions that the parser refuses — saved before a rule existed (front
 * matter that is not YAML, a field the schema no longer allows) — as SB_ERR_KNOWLEDGE warnings.
 * Each distinct problem is logged once per process: the help pages read the database on every
 * anonymous view, and a refused article must not turn each view into a log line.
 */
export class StoredArticleRefusals {
  private readonly seen = new Set<string>();

  constructor(private readonly log: KnowledgeLog | undefined) {}

  report(problems: readonly ContentProblem[]): void {
    for (const problem of problems) {
      const key = `${problem.file}\u0000${problem.field}\u0000${problem.message}`;
      if (this.seen.has(key)) continue;
      if (this.seen.size >= REMEMBERED) this.seen.clear();
      this.seen.add(key);
      // Only the article, the field and the parser's own words: no article text beyond what the message quotes.
      this.log?.warn(
        { code: 'SB_ERR_KNOWLEDGE', article: problem.file, field: problem.field, problem: problem.message },
        'stored article refused: it no longer passes validation and is left out of the bot and the help pages',
      );
    }
  }
}
