import { Buffer } from 'node:buffer';
import { parseSafeYaml } from '../core/yaml.js';
import { ArticleFrontMatterSchema, type Article } from './articleSchema.js';
import { problemsFromZod, type ContentProblem } from './knowledgeError.js';
import { splitFrontMatter } from './splitFrontMatter.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; problems: ContentProblem[] };

/** Far above any real article (the editor accepts 200,000 characters), far below trouble. */
export const MAX_ARTICLE_BYTES = 1024 * 1024;
/** The front matter is a handful of short fields. */
export const MAX_FRONT_MATTER_BYTES = 16 * 1024;

/**
 * Parses one article file. Pure: `file` is only used to name the file in problems and to check
 * that the id matches the file name (so links and URLs built from either agree). Never throws
 * and never evaluates anything in the text: the front matter is read as plain YAML data.
 */
export function parseArticle(text: string, file: string): ParseResult<Article> {
  const frontMatter = (line: number, message: string): ParseResult<Article> => ({ ok: false, problems: [{ file, field: 'front matter', message: `line ${line}: ${message}` }] });
  const bytes = text.length > MAX_ARTICLE_BYTES ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_ARTICLE_BYTES) return frontMatter(1, `the article is ${bytes} bytes; the limit is ${MAX_ARTICLE_BYTES}`);

  const split = splitFrontMatter(text);
  if (!split.ok) return frontMatter(split.line, split.message);
  const yaml = parseSafeYaml(split.yaml, { maxBytes: MAX_FRONT_MATTER_BYTES, firstLine: split.yamlFirstLine });
  if (!yaml.ok) return { ok: false, problems: yaml.problems.map((p) => ({ file, field: 'front matter', message: `line ${p.line}: ${p.message}` })) };
  if (yaml.value === null || typeof yaml.value !== 'object' || Array.isArray(yaml.value)) {
    return frontMatter(split.yamlFirstLine, 'expected YAML fields such as "id: reset-your-password", one per line');
  }

  const result = ArticleFrontMatterSchema.safeParse(yaml.value);
  if (!result.success) return { ok: false, problems: problemsFromZod(file, result.error.issues) };
  const expectedId = baseName(file);
  if (expectedId !== undefined && result.data.id !== expectedId) {
    return { ok: false, problems: [{ file, field: 'id', message: `expected "${expectedId}" (the file name)` }] };
  }
  const body = split.body.trim();
  if (body.length === 0) return { ok: false, problems: [{ file, field: 'body', message: 'the article has no text' }] };
  return { ok: true, value: { ...result.data, body } };
}

function baseName(file: string): string | undefined {
  const match = /([^/\\]+)\.md$/.exec(file);
  return match?.[1];
}
