import { sql, type Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { Article } from '../articleSchema.js';
import type { ContentProblem } from '../knowledgeError.js';
import { parseArticle } from '../parseArticle.js';
import { asPublished, type ArticleDetail, type ArticleSummary, type ArticleVersion } from './articleVersions.js';
import type { KnowledgeLog } from './knowledgeLog.js';
import { StoredArticleRefusals } from './storedArticleRefusals.js';

interface VersionRow {
  article_id: string;
  version: number;
  source: string;
  author: string;
  created_at: Date;
}

function toVersion(row: VersionRow): ArticleVersion {
  return { articleId: row.article_id, version: row.version, source: row.source, author: row.author, createdAt: new Date(row.created_at) };
}

/**
 * Read side of the versioned knowledge base. Every stored source goes through the same parser
 * as a new one, so a version saved before a rule existed is refused here (and logged through
 * `log`), never trusted because it is already in the database.
 */
export class ArticleReads {
  private readonly refusals: StoredArticleRefusals;

  constructor(
    private readonly db: Kysely<Database>,
    options: { log?: KnowledgeLog } = {},
  ) {
    this.refusals = new StoredArticleRefusals(options.log);
  }

  async isEmpty(): Promise<boolean> {
    const row = await this.db.selectFrom('kb_articles').select('id').limit(1).executeTakeFirst();
    return row === undefined;
  }

  /** Every article with its latest version, publication state and feedback counts, by id. */
  async list(): Promise<ArticleSummary[]> {
    const { rows } = await sql<{ id: string; published_version: number | null; updated_at: Date; version: number; source: string }>`
      select a.id, a.published_version, a.updated_at, v.version, v.source
      from kb_articles a
      join kb_article_versions v on v.article_id = a.id
        and v.version = (select max(version) from kb_article_versions w where w.article_id = a.id)
      order by a.id`.execute(this.db);
    const feedback = await this.feedbackCounts();
    return rows.map((row) => {
      const parsed = parseArticle(row.source, `${row.id}.md`);
      if (!parsed.ok) this.refusals.report(parsed.problems);
      return {
        id: row.id,
        title: parsed.ok ? parsed.value.title : row.id,
        category: parsed.ok ? parsed.value.category : 'unknown',
        status: row.published_version === null ? 'draft' : 'published',
        publishedVersion: row.published_version,
        latestVersion: row.version,
        hasUnpublishedChanges: row.published_version !== row.version,
        updatedAt: new Date(row.updated_at),
        feedback: feedback.get(row.id) ?? { helpful: 0, unhelpful: 0 },
      };
    });
  }

  async detail(id: string): Promise<ArticleDetail | null> {
    const article = await this.db.selectFrom('kb_articles').select(['id', 'published_version']).where('id', '=', id).executeTakeFirst();
    if (article === undefined) return null;
    const latest = await this.db
      .selectFrom('kb_article_versions')
      .selectAll()
      .where('article_id', '=', id)
      .orderBy('version', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest === undefined) return null;
    const published = article.published_version === null ? null : await this.version(id, article.published_version);
    return {
      id,
      status: article.published_version === null ? 'draft' : 'published',
      publishedVersion: article.published_version,
      latest: toVersion(latest),
      published,
    };
  }

  /** Every version of an article, newest first; null when the article does not exist. */
  async versions(id: string): Promise<ArticleVersion[] | null> {
    const rows = await this.db.selectFrom('kb_article_versions').selectAll().where('article_id', '=', id).orderBy('version', 'desc').execute();
    return rows.length === 0 ? null : rows.map(toVersion);
  }

  async version(id: string, version: number): Promise<ArticleVersion | null> {
    const row = await this.db
      .selectFrom('kb_article_versions')
      .selectAll()
      .where('article_id', '=', id)
      .where('version', '=', version)
      .executeTakeFirst();
    return row === undefined ? null : toVersion(row);
  }

  /** `{ publishedVersion, latestVersion }` of one article, to explain why a conditional write matched nothing. */
  async versionState(id: string): Promise<{ publishedVersion: number | null; latestVersion: number } | null> {
    const { rows } = await sql<{ published_version: number | null; latest: number | null }>`
      select a.published_version, (select max(version) from kb_article_versions v where v.article_id = a.id) as latest
      from kb_articles a where a.id = ${id}`.execute(this.db);
    const row = rows[0];
    if (row === undefined) return null;
    return { publishedVersion: row.published_version, latestVersion: Number(row.latest ?? 0) };
  }

  /**
   * The published version of every published article, as the bot uses them. A stored version
   * the current parser rejects (the schema moved on, or front matter saved before only YAML was
   * accepted) is left out and reported, not fatal: the others keep working.
   */
  async publishedArticles(): Promise<{ articles: Article[]; problems: ContentProblem[] }> {
    const { rows } = await sql<{ id: string; source: string }>`
      select a.id, v.source from kb_articles a
      join kb_article_versions v on v.article_id = a.id and v.version = a.published_version
      order by a.id`.execute(this.db);
    const articles: Article[] = [];
    const problems: ContentProblem[] = [];
    for (const row of rows) {
      const parsed = parseArticle(row.source, `${row.id}.md`);
      if (parsed.ok) articles.push(asPublished(parsed.value));
      else problems.push(...parsed.problems);
    }
    this.refusals.report(problems);
    return { articles, problems };
  }

  /** Changes whenever the published set changes (an article or version published or withdrawn). */
  async publishedFingerprint(): Promise<string> {
    const { rows } = await sql<{ fp: string | null }>`
      select string_agg(id || ':' || published_version, ',' order by id) as fp
      from kb_articles where published_version is not null`.execute(this.db);
    return rows[0]?.fp ?? '';
  }

  /** The published version of one article, or null for drafts and unknown ids. */
  async publishedArticle(id: string): Promise<Article | null> {
    const { rows } = await sql<{ source: string }>`
      select v.source from kb_articles a
      join kb_article_versions v on v.article_id = a.id and v.version = a.published_version
      where a.id = ${id}`.execute(this.db);
    const row = rows[0];
    if (row === undefined) return null;
    const parsed = parseArticle(row.source, `${id}.md`);
    if (!parsed.ok) this.refusals.report(parsed.problems);
    return parsed.ok ? asPublished(parsed.value) : null;
  }

  private async feedbackCounts(): Promise<Map<string, { helpful: number; unhelpful: number }>> {
    const { rows } = await sql<{ article_id: string; helpful: string | number; unhelpful: string | number }>`
      select article_id,
        count(*) filter (where helpful) as helpful,
        count(*) filter (where not helpful) as unhelpful
      from kb_feedback group by article_id`.execute(this.db);
    return new Map(rows.map((r) => [r.article_id, { helpful: Number(r.helpful), unhelpful: Number(r.unhelpful) }]));
  }
}
