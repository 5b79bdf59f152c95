import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { detailsFromZodIssues, SwitchboardError } from '../core/errors.js';
import { renderArticleHtml, validateSource, type ArticleRepository, type EditorIdentity, type PublishedKnowledge } from '../knowledge/store/index.js';
import { requireAdmin } from './admin.js';
import { jsonBody } from './text-guard.js';

/** Articles are longer than chat messages, but still text. */
const EDITOR_BODY_LIMIT = '512kb';
const MAX_SOURCE_CHARS = 200_000;

const source = z.string().min(1, 'expected the article Markdown with its front matter').max(MAX_SOURCE_CHARS);
const version = z.number().int().min(1);
const CreateBody = z.strictObject({ source });
const EditBody = z.strictObject({ source, baseVersion: version });
const PreviewBody = z.strictObject({ source: source.optional() });
const PublishBody = z.strictObject({ version });
const RollbackBody = z.strictObject({ version, baseVersion: version });
const SearchTestBody = z.strictObject({
  question: z.string().trim().min(1).max(1000),
  product: z.string().min(1).max(100).optional(),
  locale: z.string().min(2).max(10).optional(),
});
const ArticleId = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);

export interface EditorRouterDeps {
  articles: ArticleRepository;
  published: PublishedKnowledge;
  /**
   * Authorizes the request and names the editor in `res.locals.editor`. Today: the admin token
   * (`adminTokenEditor`); editor accounts with roles replace it without touching the routes.
   */
  authorize: RequestHandler[];
}

/** Editors are the admin-token holder until editor accounts exist. */
export function adminTokenEditor(adminToken: string | null): RequestHandler[] {
  return [
    requireAdmin(adminToken),
    (_req, res, next) => {
      res.locals.editor = { name: 'admin' } satisfies EditorIdentity;
      next();
    },
  ];
}

function body<T>(schema: z.ZodType<T>, req: Request): T {
  const parsed = schema.safeParse(req.body ?? {});
  if (!parsed.success) throw new SwitchboardError('SB_ERR_VALIDATION', 'The request body is invalid', detailsFromZodIssues(parsed.error.issues));
  return parsed.data;
}

function articleId(req: Request): string {
  const parsed = ArticleId.safeParse(req.params.id);
  if (!parsed.success) throw new SwitchboardError('SB_ERR_NOT_FOUND', 'No such article', [{ path: 'id', message: 'not a valid article id' }]);
  return parsed.data;
}

function editor(res: Response): EditorIdentity {
  const who = res.locals.editor as EditorIdentity | undefined;
  // A route mounted without an authorizer must fail closed.
  if (who === undefined) throw new SwitchboardError('SB_ERR_FORBIDDEN');
  return who;
}

function notFound(id: string): SwitchboardError {
  return new SwitchboardError('SB_ERR_NOT_FOUND', `No article "${id}"`, [{ path: 'id', message: 'unknown article' }]);
}

/** The knowledge-base editor API, mounted at /api/editor. */
export function editorRouter(deps: EditorRouterDeps): Router {
  const { articles, published } = deps;
  // Fail closed at start-up rather than serve an open editor API.
  if (deps.authorize.length === 0) throw new SwitchboardError('SB_ERR_CONFIG', 'The editor API needs an authorizer');
  const router = Router();
  router.use(...deps.authorize);
  router.use(...jsonBody({ limit: EDITOR_BODY_LIMIT }));

  router.get('/articles', async (_req, res) => {
    res.json({ articles: await articles.list() });
  });

  router.get('/articles/:id', async (req, res) => {
    const id = articleId(req);
    const detail = await articles.detail(id);
    if (detail === null) throw notFound(id);
    res.json(detail);
  });

  router.get('/articles/:id/versions', async (req, res) => {
    const id = articleId(req);
    const versions = await articles.versions(id);
    if (versions === null) throw notFound(id);
    res.json({ id, versions });
  });

  router.post('/articles', async (req, res) => {
    const { source: text } = body(CreateBody, req);
    res.status(201).json(await articles.create(text, editor(res)));
  });

  router.put('/articles/:id', async (req, res) => {
    const id = articleId(req);
    const { source: text, baseVersion } = body(EditBody, req);
    res.json(await articles.edit(id, text, baseVersion, editor(res)));
  });

  router.post('/articles/:id/preview', async (req, res) => {
    const id = articleId(req);
    let text = body(PreviewBody, req).source;
    if (text === undefined) {
      const detail = await articles.detail(id);
      if (detail === null) throw notFound(id);
      text = detail.latest.source;
    }
    const article = validateSource(text, id);
    res.json({ id, title: article.title, category: article.category, html: renderArticleHtml(article.body) });
  });

  router.post('/articles/:id/publish', async (req, res) => {
    const id = articleId(req);
    const result = await articles.publish(id, body(PublishBody, req).version);
    await published.changed({ id, publishedVersion: result.publishedVersion });
    res.json(result);
  });

  router.post('/articles/:id/rollback', async (req, res) => {
    const id = articleId(req);
    const { version: to, baseVersion } = body(RollbackBody, req);
    const result = await articles.rollback(id, to, baseVersion, editor(res));
    await published.changed({ id, publishedVersion: result.publishedVersion });
    res.json(result);
  });

  router.post('/articles/:id/unpublish', async (req, res) => {
    const id = articleId(req);
    const result = await articles.unpublish(id, body(PublishBody, req).version);
    await published.changed({ id, publishedVersion: null });
    res.json(result);
  });

  router.post('/search-test', async (req, res) => {
    const { question, product, locale } = body(SearchTestBody, req);
    const hits = await published.current().retriever.search(question, {
      limit: 3,
      ...(product !== undefined ? { product } : {}),
      ...(locale !== undefined ? { locale } : {}),
    });
    res.json({
      question,
      results: hits.map((hit) => ({
        id: hit.article.id,
        title: hit.article.title,
        score: hit.score,
        ranks: hit.ranks,
        passage: { heading: hit.passage.heading, excerpt: hit.passage.excerpt, markdown: hit.passage.markdown },
      })),
    });
  });

  return router;
}
