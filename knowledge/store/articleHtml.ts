import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

/** Our own instance: marked's global options are shared with anything else in the process. */
const markdown = new Marked({ gfm: true, breaks: false });

/** Links between articles are written as `other-article.md` (they work in the repository too). */
const ARTICLE_LINK = /^([a-z0-9]+(?:-[a-z0-9]+)*)\.md(#[\w-]*)?$/;

/**
 * Allow-list of what article HTML may contain. Editors write Markdown, and Markdown passes raw
 * HTML through, so everything else — scripts, event handlers, styles, iframes, forms,
 * `javascript:`/`data:` URLs — is removed, not escaped-and-kept.
 */
const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'p', 'br', 'hr', 'blockquote', 'pre', 'code', 'span',
    'ul', 'ol', 'li', 'strong', 'em', 'b', 'i', 'del', 's', 'sup', 'sub', 'kbd', 'a', 'img',
    'table', 'thead', 'tbody', 'tr', 'th', 'td',
  ],
  allowedAttributes: { a: ['href', 'title', 'rel'], img: ['src', 'alt', 'title'], ol: ['start'], th: ['align'], td: ['align'] },
  allowedSchemes: ['https', 'http', 'mailto'],
  allowedSchemesByTag: { img: ['https', 'http'] },
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Text inside removed script/style/textarea is dropped too, not left as visible code.
  nonTextTags: ['script', 'style', 'textarea', 'option', 'noscript', 'title'],
  transformTags: {
    a: (tagName, attribs) => {
      const href = attribs.href ?? '';
      const local = ARTICLE_LINK.exec(href);
      if (local !== null) return { tagName, attribs: { ...attribs, href: `/help/${local[1]}${local[2] ?? ''}` } };
      const external = /^https?:/i.test(href);
      return { tagName, attribs: external ? { ...attribs, rel: 'nofollow noopener noreferrer' } : attribs };
    },
  },
};

/** Article Markdown as HTML that is safe to put in a page: links to other articles point at /help/:id. */
export function renderArticleHtml(body: string): string {
  const html = markdown.parse(body, { async: false });
  return sanitizeHtml(html, OPTIONS);
}
