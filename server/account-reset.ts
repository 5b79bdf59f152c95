import express, { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import type { CounterStore } from '../core/stores.js';
import { apiDocs, htmlPage } from '../core/api-doc.js';
import { StorableTextSchema } from '../core/text.js';
import type { PasswordResetTokens } from '../bots/flows/password-reset-tokens.js';
import type { CustomerCredentials } from '../db/customer-credentials.js';
import { resetDonePage, resetFormPage, resetProblemPage, resetRefusedPage } from './account-reset-page.js';
import { hashPassword } from './agent/passwords.js';
import { isOwnOrigin } from './agent/origin.js';
import { bodyTextGuard } from './text-guard.js';

export const ACCOUNT_RESET_PATH = '/account/reset';
const WINDOW_MS = 15 * 60 * 1000;
/** Page views per client address per 15 minutes: enough for a customer who reloads, not for a scan. */
const VIEWS_PER_IP = 30;
/** Form posts per client address per 15 minutes (each costs an argon2id hash). */
const POSTS_PER_IP = 10;

export interface AccountResetDeps {
  tokens: Pick<PasswordResetTokens, 'check' | 'redeem'>;
  credentials: Pick<CustomerCredentials, 'setPasswordHash'>;
  counters: CounterStore;
  /** The origin posts must come from (with the request's own scheme and host). */
  publicUrl(): string;
  shopName: string;
  now?: () => Date;
}

/** The shop's rule, as its help article (reset-your-password) states it: at least 10 characters. */
const CustomerPasswordSchema = z.string().min(10, 'must be at least 10 characters').max(256, 'must be at most 256 characters');

const ResetFormSchema = z.object({
  token: StorableTextSchema.pipe(z.string().max(200)),
  password: z.string().max(1024),
  confirm: z.string().max(1024),
});

export const accountResetDocs = apiDocs(ACCOUNT_RESET_PATH, 'Demo shop', [
  {
    method: 'get',
    path: '/',
    summary: "The demo shop's password-reset page (HTML), where the link the account flow emails leads; spends nothing.",
    description: 'Not mounted when PASSWORD_RESET_URL points at the shop\'s own page. Throttled per client address.',
    query: z.object({ token: z.string() }),
    responses: { 200: htmlPage('The form.'), 404: htmlPage('A made-up link.'), 410: htmlPage('A used, expired or superseded link.'), 429: htmlPage('Too many attempts from this address.') },
  },
  {
    method: 'post',
    path: '/',
    summary: 'Set the new password: checks the two passwords, spends the token and stores an argon2id hash.',
    description: "Must come from this site's own page (Origin). A refused link changes nothing.",
    bodyContent: { 'application/x-www-form-urlencoded': ResetFormSchema },
    responses: {
      200: htmlPage('Changed.'),
      400: htmlPage('The form is invalid.'),
      403: htmlPage('Posted from another site.'),
      404: htmlPage('A made-up link.'),
      410: htmlPage('A used, expired or superseded link.'),
      422: htmlPage('The password is too short or the two differ (the form again, saying which).'),
      429: htmlPage('Too many attempts from this address.'),
    },
  },
]);

function send(res: Response, status: number, html: string): void {
  // The page carries a live token: never cached, and its address never sent to another site.
  // `same-origin`, not helmet's `no-referrer`: under that a browser posts the form with
  // `Origin: null`, which the Origin check must refuse.
  res.status(status).type('html').set('Cache-Control', 'no-store').set('Referrer-Policy', 'same-origin').send(html);
}

/**
 * The demo shop's password-reset page, where the link the account flow emails leads: GET shows
 * the form while the token is valid (spending nothing), POST checks the two passwords, spends
 * the token and stores an argon2id hash. A used, expired, superseded or made-up link gets a page
 * that says which, and changes nothing. Posts must come from this site's own pages (Origin),
 * and both are throttled per client address.
 */
export function accountResetRouter(deps: AccountResetDeps): Router {
  const router = Router();
  const now = deps.now ?? (() => new Date());
  const throttled = async (req: Request, res: Response, kind: 'view' | 'post', limit: number): Promise<boolean> => {
    if ((await deps.counters.hit(`pwreset-page:${kind}:${req.ip ?? 'unknown'}`, WINDOW_MS)) <= limit) return false;
    res.set('Retry-After', String(WINDOW_MS / 1000));
    send(res, 429, resetProblemPage(deps.shopName, 'Too many attempts', 'Please wait 15 minutes and open the link from your email again.'));
    return true;
  };

  router.get('/', async (req, res) => {
    if (await throttled(req, res, 'view', VIEWS_PER_IP)) return;
    const token = typeof req.query.token === 'string' ? req.query.token : '';
    const check = await deps.tokens.check(token);
    if (check.status !== 'valid') {
      send(res, check.status === 'invalid' ? 404 : 410, resetRefusedPage(deps.shopName, check.status));
      return;
    }
    send(res, 200, resetFormPage(deps.shopName, token));
  });

  router.post('/', express.urlencoded({ extended: false, limit: '8kb', parameterLimit: 10 }), bodyTextGuard, async (req, res) => {
    // Before anything is counted or read: a form posted from another site changes nothing.
    if (!isOwnOrigin(req, deps.publicUrl())) {
      send(res, 403, resetProblemPage(deps.shopName, 'This form must be sent from our own page', 'Open the link from your email and submit the form there.'));
      return;
    }
    if (await throttled(req, res, 'post', POSTS_PER_IP)) return;
    const form = ResetFormSchema.safeParse(req.body ?? {});
    if (!form.success) {
      send(res, 400, resetRefusedPage(deps.shopName, 'invalid'));
      return;
    }
    const { token, password, confirm } = form.data;
    const check = await deps.tokens.check(token);
    if (check.status !== 'valid') {
      send(res, check.status === 'invalid' ? 404 : 410, resetRefusedPage(deps.shopName, check.status));
      return;
    }
    const strong = CustomerPasswordSchema.safeParse(password);
    if (!strong.success) {
      send(res, 422, resetFormPage(deps.shopName, token, `The new password ${strong.error.issues[0]?.message ?? 'is not allowed'}.`));
      return;
    }
    if (password !== confirm) {
      send(res, 422, resetFormPage(deps.shopName, token, 'The two passwords are different. Type the same new password in both fields.'));
      return;
    }
    // Hashed before the token is spent, so a failure here leaves the link usable.
    const passwordHash = await hashPassword(password);
    const customerId = await deps.tokens.redeem(token);
    if (customerId === null) {
      // Spent by a concurrent post (or expired) between the check and now.
      const again = await deps.tokens.check(token);
      send(res, 410, resetRefusedPage(deps.shopName, again.status === 'valid' || again.status === 'invalid' ? 'used' : again.status));
      return;
    }
    await deps.credentials.setPasswordHash(customerId, passwordHash, now());
    send(res, 200, resetDonePage(deps.shopName));
  });

  return router;
}
