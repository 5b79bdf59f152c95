import { sql, type Kysely, type Transaction } from 'kysely';
import { z } from 'zod';
import { SwitchboardError } from '../../core/errors.js';
import type { Database } from '../../db/schema.js';
import { ArticleReads } from './articleReads.js';
import { isUniqueViolation, validateSource, type EditorIdentity } from './articleVersions.js';
import type { KnowledgeLog } from './knowledgeLog.js';

/** The result of a versioned write: where the article stands now. */
export const WriteResultSchema = z.object({ id: z.string(), version: z.number().int(), publishedVersion: z.number().int().nullable() });
export type WriteResult = z.infer<typeof WriteResultSchema>;

/**
 * The versioned knowledge base. History is linear and append-only: an edit adds version
 * latest+1, a rollback copies an older version as latest+1 and publishes it. Every write names
 * the version its author saw and is a conditional statement, so of two editors who meet, the
 * second gets SB_ERR_CONFLICT instead of silently overwriting the first.
 */
export class ArticleRepository extends ArticleReads {
  constructor(
    private readonly kdb: Kysely<Database>,
    options: { log?: KnowledgeLog } = {},
  ) {
    super(kdb, options);
  }

  /** A new article as version 1, unpublished. Its id is the front-matter id. */
  async create(source: string, editor: EditorIdentity): Promise<WriteResult> {
    const article = validateSource(source);
    return this.kdb.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('kb_articles')
        .values({ id: article.id, published_version: null })
        .onConflict((oc) => oc.column('id').doNothing())
        .returning('id')
        .executeTakeFirst();
      if (inserted === undefined) {
        throw new SwitchboardError('SB_ERR_CONFLICT', `An article with id "${article.id}" already exists`, [{ path: 'source: id', message: 'already used' }]);
      }
      await trx.insertInto('kb_article_versions').values({ article_id: article.id, version: 1, source, author: editor.name }).execute();
      return { id: article.id, version: 1, publishedVersion: null };
    });
  }

  /** Saves `source` as the next version; `baseVersion` is the latest version the editor saw. */
  async edit(id: string, source: string, baseVersion: number, editor: EditorIdentity): Promise<WriteResult> {
    validateSource(source, id);
    return this.kdb.transaction().execute(async (trx) => {
      const version = await this.appendVersion(trx, id, baseVersion, source, editor);
      const row = await trx.selectFrom('kb_articles').select('published_version').where('id', '=', id).executeTakeFirstOrThrow();
      return { id, version, publishedVersion: row.published_version };
    });
  }

  /**
   * Publishes `version`, which must be the latest: publishing something older than what the
   * editor last saw would skip a colleague's change unseen (use rollback for that).
   */
  async publish(id: string, version: number): Promise<WriteResult> {
    // Versions are immutable, so checking before the conditional update is enough. A version
    // saved before a rule existed (front matter that is not YAML) is refused, not published.
    const target = await this.version(id, version);
    if (target !== null) validateSource(target.source, id);
    const result = await sql`
      update kb_articles set published_version = ${version}, updated_at = now()
      where id = ${id}
        and ${version} = (select max(version) from kb_article_versions v where v.article_id = ${id})`.execute(this.kdb);
    if (Number(result.numAffectedRows ?? 0) === 0) await this.explainMiss(id, version, 'publish');
    return { id, version, publishedVersion: version };
  }

  /**
   * Publishes an earlier version again, recorded as a new version on top of `baseVersion`
   * (the latest the editor saw), so history stays linear and nothing is lost.
   */
  async rollback(id: string, toVersion: number, baseVersion: number, editor: EditorIdentity): Promise<WriteResult> {
    const target = await this.version(id, toVersion);
    if (target === null) {
      if ((await this.versionState(id)) === null) throw notFound(id);
      throw new SwitchboardError('SB_ERR_NOT_FOUND', `Article "${id}" has no version ${toVersion}`, [{ path: 'version', message: 'no such version' }]);
    }
    // The schema may have moved on since the old version was saved: it must still be valid.
    validateSource(target.source, id);
    return this.kdb.transaction().execute(async (trx) => {
      const version = await this.appendVersion(trx, id, baseVersion, target.source, editor);
      await trx.updateTable('kb_articles').set({ published_version: version, updated_at: new Date() }).where('id', '=', id).execute();
      return { id, version, publishedVersion: version };
    });
  }

  /** Takes the article off the bot and the help pages; `publishedVersion` is the one the editor saw. */
  async unpublish(id: string, publishedVersion: number): Promise<WriteResult> {
    const result = await this.kdb
      .updateTable('kb_articles')
      .set({ published_version: null, updated_at: new Date() })
      .where('id', '=', id)
      .where('published_version', '=', publishedVersion)
      .executeTakeFirst();
    const state = await this.versionState(id);
    if (state === null) throw notFound(id);
    if (Number(result.numUpdatedRows) === 0) {
      throw new SwitchboardError('SB_ERR_CONFLICT', `Article "${id}" is not published at version ${publishedVersion} (published: ${state.publishedVersion ?? 'none'})`, [
        { path: 'version', message: 'stale' },
      ]);
    }
    return { id, version: state.latestVersion, publishedVersion: null };
  }

  /**
   * Inserts version base+1 only if base is the latest. The conditional insert covers a stale
   * base; the primary key catches two editors inserting the same next version at once.
   */
  private async appendVersion(trx: Transaction<Database>, id: string, baseVersion: number, source: string, editor: EditorIdentity): Promise<number> {
    const next = baseVersion + 1;
    let inserted: number;
    try {
      const result = await sql`
        insert into kb_article_versions (article_id, version, source, author)
        select ${id}, ${next}, ${source}, ${editor.name}
        where ${baseVersion} = (select max(version) from kb_article_versions v where v.article_id = ${id})`.execute(trx);
      inserted = Number(result.numAffectedRows ?? 0);
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(id, baseVersion, next);
      throw error;
    }
    if (inserted === 0) await this.explainMiss(id, baseVersion, 'edit', trx);
    await trx.updateTable('kb_articles').set({ updated_at: new Date() }).where('id', '=', id).execute();
    return next;
  }

  /** A conditional write matched nothing: the article is unknown (404) or someone wrote first (409). */
  private async explainMiss(id: string, sawVersion: number, action: 'edit' | 'publish', trx?: Transaction<Database>): Promise<never> {
    const state = await new ArticleReads(trx ?? this.kdb).versionState(id);
    if (state === null) throw notFound(id);
    if (sawVersion > state.latestVersion || sawVersion < 1) {
      const field = action === 'edit' ? 'baseVersion' : 'version';
      throw new SwitchboardError('SB_ERR_NOT_FOUND', `Article "${id}" has no version ${sawVersion} (latest is ${state.latestVersion})`, [{ path: field, message: 'no such version' }]);
    }
    throw conflict(id, sawVersion, state.latestVersion, action);
  }
}

function notFound(id: string): SwitchboardError {
  return new SwitchboardError('SB_ERR_NOT_FOUND', `No article "${id}"`, [{ path: 'id', message: 'unknown article' }]);
}

function conflict(id: string, saw: number, latest: number, action: 'edit' | 'publish' = 'edit'): SwitchboardError {
  const field = action === 'edit' ? 'baseVersion' : 'version';
  return new SwitchboardError(
    'SB_ERR_CONFLICT',
    `Article "${id}" was changed by someone else: you saw version ${saw}, the latest is ${latest}. Reload and ${action} again.`,
    [{ path: field, message: `stale: latest is ${latest}` }],
  );
}
