import matter from 'gray-matter';
import { ArticleFrontMatterSchema, type Article } from './articleSchema.js';
import { problemsFromZod, type ContentProblem } from './knowledgeError.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: ContentProblem[] };

/**
 * Parses one article file. Pure: `file` is only used to name the file in problems and to check
 * that the id matches the file name (so links and URLs built from either agree).
 */
export function parseArticle(text: string, file: string): ParseResult<Article> {
  let parsed: matter.GrayMatterFile<string>;
  try {
    // A fresh options object: gray-matter caches by content otherwise, returning shared objects.
    parsed = matter(text, { language: 'yaml' });
  } catch (error) {
    const reason = error instanceof Error ? error.message.split('\n')[0] ?? 'invalid YAML' : 'invalid YAML';
    return { ok: false, problems: [{ file, field: 'front matter', message: `invalid YAML: ${reason}` }] };
  }
  if (Object.keys(parsed.data).length === 0) {
    return { ok: false, problems: [{ file, field: 'front matter', message: 'missing: start the file with a --- YAML block' }] };
  }
  const result = ArticleFrontMatterSchema.safeParse(parsed.data);
  if (!result.success) return { ok: false, problems: problemsFromZod(file, result.error.issues) };
  const expectedId = baseName(file);
  if (expectedId !== undefined && result.data.id !== expectedId) {
    return { ok: false, problems: [{ file, field: 'id', message: `expected "${expectedId}" (the file name)` }] };
  }
  const body = parsed.content.trim();
  if (body.length === 0) return { ok: false, problems: [{ file, field: 'body', message: 'the article has no text' }] };
  return { ok: true, value: { ...result.data, body } };
}

function baseName(file: string): string | undefined {
  const match = /([^/\\]+)\.md$/.exec(file);
  return match?.[1];
}
