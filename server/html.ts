import { escapeHtml } from '../core/html.js';

/** Pages and channels share one escaper; it lives in core so channels can use it too. */
export { escapeHtml };

/**
 * The demo shop's page frame (help centre, password reset): plain HTML, the look from
 * /demo.css, nothing inline, so the app's CSP holds. `title` and `shopName` are escaped;
 * `main` is the caller's already-escaped markup. `referrer` is set where a form must post
 * with its Origin (a `no-referrer` policy makes Chromium send `Origin: null`).
 */
export function shopPage(options: { title: string; shopName: string; main: string; referrer?: 'same-origin' }): string {
  const referrer = options.referrer !== undefined ? `<meta name="referrer" content="${options.referrer}">\n` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
${referrer}<title>${escapeHtml(options.title)} · ${escapeHtml(options.shopName)}</title>
<link rel="stylesheet" href="/demo.css">
</head>
<body>
<header class="shop-header"><strong>${escapeHtml(options.shopName)}</strong><nav><a href="/help">Help centre</a><a href="/">Chat with us</a></nav></header>
<main>
${options.main}
</main>
</body>
</html>
`;
}
