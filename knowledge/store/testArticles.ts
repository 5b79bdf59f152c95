import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';

/** Article sources for the store and editor tests. */
export function articleSource(
  id: string,
  options: { title?: string; body?: string; status?: 'draft' | 'published'; extra?: string } = {},
): string {
  return [
    '---',
    `id: ${id}`,
    `title: ${options.title ?? `Article ${id}`}`,
    'category: policies',
    `status: ${options.status ?? 'draft'}`,
    'updated: 2025-03-01',
    ...(options.extra !== undefined ? [options.extra] : []),
    '---',
    options.body ?? `The ${id} article explains how the zyxwv warranty sticker works on every device we sell.`,
    '',
  ].join('\n');
}

/**
 * Article sources whose front matter gray-matter evaluated as code (`---js`, `---javascript`,
 * `---coffee`): each sets `globalThis.__sb_pwned` if anything ever runs it.
 */
export function codeExecutingArticle(id: string, engine: 'js' | 'javascript' | 'coffee' = 'js'): string {
  const fields = engine === 'coffee'
    ? `id: '${id}', title: (globalThis.__sb_pwned = true; 'x'), category: 'policies', status: 'published', updated: '2025-03-01'`
    : `{ id: '${id}', title: (globalThis.__sb_pwned = true, 'x'), category: 'policies', status: 'published', updated: '2025-03-01' }`;
  return `---${engine}\n${fields}\n---\nThe ${id} article would run code on the server if its front matter were evaluated.\n`;
}

/** YAML front matter that asks for a JavaScript function (js-yaml's full schema would build one). */
export function jsFunctionTagArticle(id: string): string {
  return [
    '---',
    `id: ${id}`,
    'title: !!js/function "function () { globalThis.__sb_pwned = true; return \'x\'; }"',
    'category: policies',
    'status: draft',
    'updated: 2025-03-01',
    '---',
    'Body text.',
    '',
  ].join('\n');
}

/** Whether any code-execution attempt ran (the sources above set it). */
export function pwned(): unknown {
  return (globalThis as { __sb_pwned?: unknown }).__sb_pwned;
}

/**
 * Stores a version without validation, as a version saved before the parser refused it would
 * be: the read side must refuse it. `publish` makes it the published version.
 */
export async function storeUnvalidatedVersion(db: Kysely<Database>, article: { id: string; version: number; source: string; publish: boolean }): Promise<void> {
  await db.insertInto('kb_articles').values({ id: article.id, published_version: null }).onConflict((oc) => oc.column('id').doNothing()).execute();
  await db.insertInto('kb_article_versions').values({ article_id: article.id, version: article.version, source: article.source, author: 'before-the-fix' }).execute();
  if (article.publish) await db.updateTable('kb_articles').set({ published_version: article.version }).where('id', '=', article.id).execute();
}
