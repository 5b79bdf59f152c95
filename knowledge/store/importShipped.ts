import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { displayPath, knowledgeError, type ContentProblem } from '../knowledgeError.js';
import { DEFAULT_KNOWLEDGE_DIR } from '../loadKnowledgeBase.js';
import { parseArticle } from '../parseArticle.js';

/** Author recorded on imported versions. */
export const IMPORT_AUTHOR = 'import';
/** Serializes the first-start import across instances that start together on one database. */
const IMPORT_LOCK_KEY = 7210517;

interface ShippedArticle {
  id: string;
  source: string;
  published: boolean;
}

/**
 * On first start (no article in the database), imports every `articles/*.md` under `dir` as
 * version 1 — published when its front matter says `status: published`, a draft otherwise — in
 * one transaction. Every file is validated first; any problem imports nothing and throws one
 * SB_ERR_KNOWLEDGE naming each file and field. Later starts change nothing: from then on the
 * database is the knowledge base and editors change it through the editor API.
 */
export async function importShippedArticles(db: Kysely<Database>, dir: string = DEFAULT_KNOWLEDGE_DIR): Promise<{ imported: number }> {
  const articles = await readShippedArticles(path.join(dir, 'articles'));
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${IMPORT_LOCK_KEY})`.execute(trx);
    const existing = await trx.selectFrom('kb_articles').select('id').limit(1).executeTakeFirst();
    if (existing !== undefined || articles.length === 0) return { imported: 0 };
    await trx
      .insertInto('kb_articles')
      .values(articles.map((a) => ({ id: a.id, published_version: a.published ? 1 : null })))
      .execute();
    await trx
      .insertInto('kb_article_versions')
      .values(articles.map((a) => ({ article_id: a.id, version: 1, source: a.source, author: IMPORT_AUTHOR })))
      .execute();
    return { imported: articles.length };
  });
}

async function readShippedArticles(articlesDir: string): Promise<ShippedArticle[]> {
  let names: string[];
  try {
    names = (await readdir(articlesDir, { recursive: true })).filter((n) => n.endsWith('.md')).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const problems: ContentProblem[] = [];
  const byId = new Map<string, ShippedArticle & { file: string }>();
  for (const name of names) {
    const file = path.join(articlesDir, name);
    const shown = displayPath(file);
    const source = await readFile(file, 'utf8');
    const parsed = parseArticle(source, shown);
    if (!parsed.ok) {
      problems.push(...parsed.problems);
      continue;
    }
    const other = byId.get(parsed.value.id);
    if (other !== undefined) {
      problems.push({ file: shown, field: 'id', message: `duplicate id "${parsed.value.id}", also used by ${other.file}` });
      continue;
    }
    byId.set(parsed.value.id, { id: parsed.value.id, source, published: parsed.value.status === 'published', file: shown });
  }
  if (problems.length > 0) throw knowledgeError(problems);
  return [...byId.values()].map(({ id, source, published }) => ({ id, source, published }));
}
