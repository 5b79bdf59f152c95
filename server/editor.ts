import { Router, type Request, type RequestHandler, type Response } from 'express';
import { z } from 'zod';
import { apiDocs, type ApiRouteDoc } from '../core/api-doc.js';
import { detailsFromZodIssues, SwitchboardError } from '../core/errors.js';
import {
  ArticleDetailSchema,
  ArticleSummarySchema,
  ArticleVersionSchema,
  renderArticleHtml,
  validateSource,
  WriteResultSchema,
  type ArticleRepository,
  type EditorIdentity,
  type PublishedKnowledge,
} from '../knowledge/store/index.js';
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

/** `POST /api/editor/articles/:id/preview`: what the help page would show. */
export const ArticlePreviewSchema = z.object({ id: z.string(), title: z.string(), category: z.string(), html: z.string() });
/** `POST /api/editor/search-test`: what the bot would retrieve. */
export const SearchTestResultSchema = z.object({
  question: z.string(),
  results: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      score: z.number(),
      ranks: z.object({ lexical: z.number().int().nullable(), semantic: z.number().int().nullable() }),
      passage: z.object({ heading: z.string(), excerpt: z.string(), markdown: z.string() }),
    }),
  ),
});

const write = { description: 'Where the article stands now.', json: WriteResultSchema };
const editorRoute = (route: Omit<ApiRouteDoc, 'security'>): ApiRouteDoc => ({
  ...route,
  security: 'adminToken',
  responses: { 401: 'No admin token.', 403: 'Not the admin token, or ADMIN_TOKEN unset.', ...route.responses },
});
const articleParams = z.object({ id: ArticleId });

export const editorApiDocs = apiDocs('/api/editor', 'Knowledge editor', [
  editorRoute({
    method: 'get',
    path: '/articles',
    summary: 'Every knowledge-base article with its publication state and feedback counts.',
    responses: { 200: { description: 'Articles.', json: z.object({ articles: z.array(ArticleSummarySchema) }) } },
  }),
  editorRoute({
    method: 'post',
    path: '/articles',
    summary: 'Create an article as version 1, unpublished. Its id is the front-matter id.',
    body: CreateBody,
    responses: {
      201: { description: 'Created.', json: WriteResultSchema },
      400: 'The body is invalid.',
      409: 'An article with this id exists (SB_ERR_CONFLICT).',
      422: 'Invalid front matter or body (SB_ERR_KNOWLEDGE; details name the field). Nothing stored.',
    },
  }),
  editorRoute({
    method: 'get',
    path: '/articles/:id',
    summary: 'The latest and the published version of one article.',
    params: articleParams,
    responses: { 200: { description: 'The article.', json: ArticleDetailSchema }, 404: 'No such article.' },
  }),
  editorRoute({
    method: 'put',
    path: '/articles/:id',
    summary: 'Save a new version. baseVersion is the latest version the editor saw (optimistic concurrency).',
    params: articleParams,
    body: EditBody,
    responses: {
      200: write,
      400: 'The body is invalid.',
      404: 'No such article.',
      409: 'Someone saved a newer version (SB_ERR_CONFLICT, detail path baseVersion). Nothing stored.',
      422: 'Invalid front matter (SB_ERR_KNOWLEDGE). The id may not change. Nothing stored.',
    },
  }),
  editorRoute({
    method: 'get',
    path: '/articles/:id/versions',
    summary: 'Every version of an article, newest first (linear history).',
    params: articleParams,
    responses: { 200: { description: 'Its versions.', json: z.object({ id: z.string(), versions: z.array(ArticleVersionSchema) }) }, 404: 'No such article.' },
  }),
  editorRoute({
    method: 'post',
    path: '/articles/:id/preview',
    summary: 'Render Markdown to sanitized HTML as the help page would; stores nothing. Without source, renders the latest version.',
    params: articleParams,
    body: PreviewBody,
    bodyOptional: true,
    responses: { 200: { description: 'The rendered article.', json: ArticlePreviewSchema }, 404: 'No such article.', 422: 'Invalid front matter (SB_ERR_KNOWLEDGE).' },
  }),
  editorRoute({
    method: 'post',
    path: '/articles/:id/publish',
    summary: 'Publish the latest version; the bot and the help pages use it at once, on every instance.',
    description: 'version must be the latest version (the one the editor reviewed); to publish an older one use rollback.',
    params: articleParams,
    body: PublishBody,
    responses: { 200: write, 400: 'The body is invalid.', 404: 'No such article.', 409: 'A newer version exists (SB_ERR_CONFLICT).' },
  }),
  editorRoute({
    method: 'post',
    path: '/articles/:id/rollback',
    summary: 'Publish an earlier version again, recorded as a new version on top of baseVersion.',
    params: articleParams,
    body: RollbackBody,
    responses: { 200: write, 400: 'The body is invalid.', 404: 'No such article.', 409: 'baseVersion is not the latest (SB_ERR_CONFLICT).' },
  }),
  editorRoute({
    method: 'post',
    path: '/articles/:id/unpublish',
    summary: 'Withdraw the article from the bot and the help pages; version is the published version the editor saw.',
    params: articleParams,
    body: PublishBody,
    responses: { 200: write, 400: 'The body is invalid.', 404: 'No such article.', 409: 'Not published at that version (SB_ERR_CONFLICT).' },
  }),
  editorRoute({
    method: 'post',
    path: '/search-test',
    summary: 'What the bot would retrieve for a question (top 3 published articles with the passage it would quote).',
    body: SearchTestBody,
    responses: { 200: { description: 'The ranked articles.', json: SearchTestResultSchema }, 400: 'The body is invalid.' },
  }),
]);

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
    res.json({ id, title: article.title, category: article.category, html: renderArticleHtml(article.body) } satisfies z.infer<typeof ArticlePreviewSchema>);
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
    } satisfies z.infer<typeof SearchTestResultSchema>);
  });

  return router;
}
