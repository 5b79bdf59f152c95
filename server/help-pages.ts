import { Router, type Response } from 'express';
import { z } from 'zod';
import { apiDocs, htmlPage } from '../core/api-doc.js';
import type { Article } from '../knowledge/index.js';
import { renderArticleHtml, type ArticleReads } from '../knowledge/store/index.js';
import { escapeHtml, shopPage } from './html.js';

const ARTICLE_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

/**
 * The page shell. No inline script or style: the app's CSP allows only same-origin files, so
 * the look comes from /demo.css and nothing on the page can run code.
 */
function page(title: string, shopName: string, main: string): string {
  return shopPage({ title, shopName: `${shopName} help`, main });
}

function articlePage(article: Article, shopName: string): string {
  // The Markdown body is sanitized by an allow-list; the title comes from front matter and is escaped.
  const main = `<article>
<p><a href="/help">Help centre</a> › ${escapeHtml(article.category)}</p>
<h1>${escapeHtml(article.title)}</h1>
${renderArticleHtml(article.body)}
<p><small>Updated ${escapeHtml(article.updated)}</small></p>
</article>`;
  return page(article.title, shopName, main);
}

function indexPage(articles: readonly Article[], shopName: string): string {
  const byCategory = new Map<string, Article[]>();
  for (const a of articles) byCategory.set(a.category, [...(byCategory.get(a.category) ?? []), a]);
  const sections = [...byCategory.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([category, list]) => {
      const items = list
        .sort((a, b) => a.title.localeCompare(b.title))
        .map((a) => `<li><a href="/help/${escapeHtml(a.id)}">${escapeHtml(a.title)}</a></li>`)
        .join('\n');
      return `<section>\n<h2>${escapeHtml(category)}</h2>\n<ul>\n${items}\n</ul>\n</section>`;
    })
    .join('\n');
  return page('Help centre', shopName, `<h1>Help centre</h1>\n${sections}`);
}

export const helpPagesDocs = apiDocs('/help', 'Help centre', [
  { method: 'get', path: '/', summary: 'Public help centre: every published article by category (HTML).', responses: { 200: htmlPage('The help centre.') } },
  {
    method: 'get',
    path: '/:id',
    summary: 'One published article (HTML, rendered from Markdown and sanitized by an allow-list).',
    params: z.object({ id: z.string().regex(ARTICLE_ID) }),
    responses: { 200: htmlPage('The article.'), 404: htmlPage('Unknown article or a draft.') },
  },
]);

/**
 * Public help centre: `/help` lists the published articles and `/help/:id` shows one. Read from
 * the database on every request, so a page changes the moment its article is published, on
 * every instance; drafts and unknown ids are 404.
 */
export function helpPagesRouter(deps: { articles: ArticleReads; shopName: string }): Router {
  const router = Router();
  const send = (res: Response, status: number, html: string): void => {
    // Revalidate every time: a withdrawn article must not linger in caches.
    res.status(status).type('html').set('Cache-Control', 'no-cache').send(html);
  };
  const missing = page('Not found', deps.shopName, '<h1>Article not found</h1>\n<p>It may have moved. <a href="/help">See all help articles</a>.</p>');

  router.get('/', async (_req, res) => {
    const { articles } = await deps.articles.publishedArticles();
    send(res, 200, indexPage(articles, deps.shopName));
  });

  router.get('/:id', async (req, res) => {
    const id = req.params.id;
    const article = ARTICLE_ID.test(id) ? await deps.articles.publishedArticle(id) : null;
    if (article === null) {
      res.status(404).type('html').set('Cache-Control', 'no-store').send(missing);
      return;
    }
    send(res, 200, articlePage(article, deps.shopName));
  });

  return router;
}
