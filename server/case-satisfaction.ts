import express, { Router, type Response } from 'express';
import { z } from 'zod';
import { apiDocs, htmlPage } from '../core/api-doc.js';
import { StorableTextSchema } from '../core/text.js';
import type { CaseSatisfaction } from '../crm/case-csat.js';
import { CASE_CSAT_COPY_EN, type CaseCsatCopy } from '../crm/copy/case-csat.js';
import { isOwnOrigin } from './agent/origin.js';
import { escapeHtml, shopPage } from './html.js';
import { bodyTextGuard } from './text-guard.js';

export const CASE_SATISFACTION_PATH = '/satisfaction';

const ScoreSchema = z.coerce.number().int().min(1).max(5);
const RatingFormSchema = z.object({
  score: ScoreSchema,
  comment: StorableTextSchema.pipe(z.string().trim().max(2000)).optional(),
});

export interface CaseSatisfactionPageDeps {
  csat: Pick<CaseSatisfaction, 'byToken' | 'linkOpen' | 'rate'>;
  publicUrl(): string;
  shopName: string;
  copy?: CaseCsatCopy;
}

export const caseSatisfactionDocs = apiDocs(CASE_SATISFACTION_PATH, 'Demo shop', [
  {
    method: 'get',
    path: '/:token',
    summary: "The page a resolved case's satisfaction email links to (HTML): the rating chosen in the email preselected and a comment box; records nothing.",
    description: 'The token is an HMAC of the question (only its hash is stored). Opening the link records nothing, so a mail scanner that follows it rates nothing.',
    params: z.object({ token: z.string() }),
    query: z.object({ score: z.string().optional() }),
    responses: { 200: htmlPage('The form (or "already rated").'), 404: htmlPage('A made-up link.'), 410: htmlPage('The link is older than 28 days.') },
  },
  {
    method: 'post',
    path: '/:token',
    summary: 'Record the rating (1–5) and the optional comment on the case, once.',
    description: "Must come from this site's own page (Origin).",
    params: z.object({ token: z.string() }),
    bodyContent: { 'application/x-www-form-urlencoded': RatingFormSchema },
    responses: { 200: htmlPage('Thanks (or "already rated": the first answer stands).'), 400: htmlPage('No rating chosen.'), 403: htmlPage('Posted from another site.'), 404: htmlPage('A made-up link.'), 410: htmlPage('The link is older than 28 days.') },
  },
]);

/**
 * Where a resolved case's satisfaction email leads (crm/case-csat.ts): GET shows the form with
 * the score from the link chosen, POST records it with the comment. Nothing is recorded by
 * opening a link, because mail scanners open every link of a message.
 */
export function caseSatisfactionRouter(deps: CaseSatisfactionPageDeps): Router {
  const router = Router();
  const copy = (deps.copy ?? CASE_CSAT_COPY_EN).page;
  const page = (res: Response, status: number, title: string, main: string): void => {
    // The page carries a live token: never cached, and its address never sent to another site.
    res.status(status).type('html').set('Cache-Control', 'no-store').set('Referrer-Policy', 'same-origin').send(shopPage({ title, shopName: deps.shopName, main, referrer: 'same-origin' }));
  };
  const message = (res: Response, status: number, title: string, text: string): void => page(res, status, title, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)}</p>`);
  const question = async (res: Response, token: string) => {
    const row = await deps.csat.byToken(token);
    if (row === null) {
      message(res, 404, copy.unknown, copy.unknownText);
      return null;
    }
    if (!deps.csat.linkOpen(row)) {
      message(res, 410, copy.unknown, copy.unknownText);
      return null;
    }
    if (row.score !== null) {
      message(res, 200, copy.answered, copy.answeredText);
      return null;
    }
    return row;
  };

  router.get('/:token', async (req, res) => {
    const token = tokenOf(req.params.token);
    const row = await question(res, token);
    if (row === null) return;
    const chosen = ScoreSchema.safeParse(req.query.score);
    const radios = [1, 2, 3, 4, 5]
      .map((score) => `<p><label><input type="radio" name="score" value="${score}"${chosen.success && chosen.data === score ? ' checked' : ''} required> ${escapeHtml(copy.scoreLabel(score))}</label></p>`)
      .join('\n');
    page(
      res,
      200,
      copy.title,
      `<h1>${escapeHtml(copy.title)}</h1>
<form method="post" action="${CASE_SATISFACTION_PATH}/${encodeURIComponent(token)}">
<fieldset><legend>${escapeHtml(copy.question(row.case_id))}</legend>
${radios}
</fieldset>
<p><label for="csat-comment">${escapeHtml(copy.commentLabel)}</label><br>
<textarea id="csat-comment" name="comment" rows="4" maxlength="2000"></textarea></p>
<p><button type="submit">${escapeHtml(copy.submit)}</button></p>
</form>`,
    );
  });

  router.post('/:token', express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 5 }), bodyTextGuard, async (req, res) => {
    if (!isOwnOrigin(req, deps.publicUrl())) {
      message(res, 403, copy.unknown, copy.unknownText);
      return;
    }
    const row = await question(res, tokenOf(req.params.token));
    if (row === null) return;
    const form = RatingFormSchema.safeParse(req.body ?? {});
    if (!form.success) {
      message(res, 400, copy.title, copy.question(row.case_id));
      return;
    }
    const comment = form.data.comment !== undefined && form.data.comment !== '' ? form.data.comment : null;
    const recorded = await deps.csat.rate(row.id, form.data.score, comment, 'link');
    if (!recorded) message(res, 200, copy.answered, copy.answeredText);
    else message(res, 200, copy.thanks, copy.thanksText);
  });

  return router;
}

function tokenOf(param: string | string[] | undefined): string {
  return typeof param === 'string' ? param : '';
}
