import { z } from 'zod';
import type { Article } from '../articleSchema.js';
import { knowledgeError } from '../knowledgeError.js';
import { parseArticle } from '../parseArticle.js';

/** Publication state of an article: the bot sees only `published` ones. */
export const PublicationStatusSchema = z.enum(['draft', 'published']);
export type PublicationStatus = z.infer<typeof PublicationStatusSchema>;

/** One saved version: the full Markdown with front matter, exactly as the editor sent it. */
export const ArticleVersionSchema = z.object({
  articleId: z.string(),
  version: z.number().int(),
  source: z.string(),
  author: z.string(),
  /** Sent as an ISO date-time string. */
  createdAt: z.date(),
});
export type ArticleVersion = z.infer<typeof ArticleVersionSchema>;

/** One row of the editor's article list. */
export const ArticleSummarySchema = z.object({
  id: z.string(),
  title: z.string(),
  category: z.string(),
  status: PublicationStatusSchema,
  publishedVersion: z.number().int().nullable(),
  latestVersion: z.number().int(),
  /** The latest version is newer than the published one (or nothing is published). */
  hasUnpublishedChanges: z.boolean(),
  updatedAt: z.date(),
  feedback: z.object({ helpful: z.number().int(), unhelpful: z.number().int() }),
});
export type ArticleSummary = z.infer<typeof ArticleSummarySchema>;

export const ArticleDetailSchema = z.object({
  id: z.string(),
  status: PublicationStatusSchema,
  publishedVersion: z.number().int().nullable(),
  latest: ArticleVersionSchema,
  published: ArticleVersionSchema.nullable(),
});
export type ArticleDetail = z.infer<typeof ArticleDetailSchema>;

/** Who made a change; recorded on every version. */
export interface EditorIdentity {
  name: string;
}

/**
 * Validates an article source with the same parser the shipped files go through. `id` given:
 * the front-matter id must stay the same (URLs and links are built from it).
 */
export function validateSource(source: string, id?: string): Article {
  const file = id === undefined ? 'new article' : `${id}.md`;
  const result = parseArticle(source, file);
  if (!result.ok) throw knowledgeError(result.problems);
  return result.value;
}

/**
 * The article as the bot uses it. Publication lives in the database, not in the front
 * matter: a published version counts as published whatever its `status:` line says.
 */
export function asPublished(article: Article): Article {
  return { ...article, status: 'published' };
}

export function isUniqueViolation(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === '23505';
}
