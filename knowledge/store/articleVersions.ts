import type { Article } from '../articleSchema.js';
import { knowledgeError } from '../knowledgeError.js';
import { parseArticle } from '../parseArticle.js';

/** Publication state of an article: the bot sees only `published` ones. */
export type PublicationStatus = 'draft' | 'published';

/** One saved version: the full Markdown with front matter, exactly as the editor sent it. */
export interface ArticleVersion {
  articleId: string;
  version: number;
  source: string;
  author: string;
  createdAt: Date;
}

/** One row of the editor's article list. */
export interface ArticleSummary {
  id: string;
  title: string;
  category: string;
  status: PublicationStatus;
  publishedVersion: number | null;
  latestVersion: number;
  /** The latest version is newer than the published one (or nothing is published). */
  hasUnpublishedChanges: boolean;
  updatedAt: Date;
  feedback: { helpful: number; unhelpful: number };
}

export interface ArticleDetail {
  id: string;
  status: PublicationStatus;
  publishedVersion: number | null;
  latest: ArticleVersion;
  published: ArticleVersion | null;
}

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
