import type { ResetTokenRefusal } from '../bots/flows/password-reset-tokens.js';
import { escapeHtml, shopPage } from './html.js';

/**
 * The pages of /account/reset. Plain HTML: the form posts without JavaScript, nothing inline
 * (the app's CSP allows only same-origin files; the look comes from /demo.css), and every
 * dynamic value is escaped.
 */
function shell(title: string, shopName: string, main: string): string {
  return shopPage({ title, shopName, main, referrer: 'same-origin' });
}

/** The form; `problem` is shown above it when the last attempt was refused (mismatch, too short). */
export function resetFormPage(shopName: string, token: string, problem: string | null = null): string {
  const alert = problem === null ? '' : `<p class="form-error" role="alert">${escapeHtml(problem)}</p>\n`;
  return shell(
    'Choose a new password',
    shopName,
    `<h1>Choose a new password</h1>
<p>Use at least 10 characters. The link works once: after you set your password it stops working.</p>
${alert}<form method="post" action="/account/reset">
<input type="hidden" name="token" value="${escapeHtml(token)}">
<p><label for="new-password">New password</label><br>
<input id="new-password" name="password" type="password" autocomplete="new-password" minlength="10" maxlength="256" required></p>
<p><label for="confirm-password">Confirm password</label><br>
<input id="confirm-password" name="confirm" type="password" autocomplete="new-password" minlength="10" maxlength="256" required></p>
<p><button type="submit">Set password</button></p>
</form>`,
  );
}

export function resetDonePage(shopName: string): string {
  return shell(
    'Password changed',
    shopName,
    `<h1>Your password has been changed</h1>
<p>You can now sign in to your ${escapeHtml(shopName)} account with your new password. This link no longer works.</p>
<p>If you didn't ask for this change, <a href="/">chat with us</a> right away.</p>`,
  );
}

const REFUSALS: Record<ResetTokenRefusal, { title: string; text: string }> = {
  used: { title: 'This link was already used', text: 'A reset link works once, and this one has already been used to set a password. If that wasn\'t you, ask for a new link and tell our team.' },
  expired: { title: 'This link has expired', text: 'Reset links work for 60 minutes. Ask for a new one in the chat and use it within the hour.' },
  superseded: { title: 'A newer link was sent', text: 'Only the latest reset link works. Use the newest email we sent you, or ask for a new link.' },
  invalid: { title: 'This link is not valid', text: 'We don\'t recognise this reset link. Copy the whole link from the email, or ask for a new one in the chat.' },
};

/** Why the link can't be used, honestly, with the way to get a new one; your password is unchanged. */
export function resetRefusedPage(shopName: string, why: ResetTokenRefusal): string {
  const { title, text } = REFUSALS[why];
  return shell(
    title,
    shopName,
    `<h1>${escapeHtml(title)}</h1>
<p>${escapeHtml(text)} Your password has not been changed.</p>
<p><a href="/">Ask for a new link in the chat</a> (say "I forgot my password").</p>`,
  );
}

/** A refused request that is not about the link: too many attempts, a form from another site. */
export function resetProblemPage(shopName: string, title: string, text: string): string {
  return shell(title, shopName, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(text)} Your password has not been changed.</p>`);
}
