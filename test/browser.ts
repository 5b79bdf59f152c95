import { chromium, type Browser, type Page } from 'playwright-core';
import { startTestService, type TestService } from './service.js';

/** Debian's Chromium, headless, with the flags this closed network needs. Never a downloaded browser. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Page errors and console errors (a CSP violation is one) collected as they happen: a test expects none. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

/** Signs `account` in at the agent console and waits until its live connection is up. */
export async function signInToConsole(page: Page, serviceUrl: string, account: { email: string; password: string }): Promise<void> {
  await page.goto(`${serviceUrl}/agent`);
  await page.getByLabel('Email').fill(account.email);
  await page.getByLabel('Password').fill(account.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('status').filter({ hasText: 'Live' }).waitFor();
}

/**
 * A service with its agent console built, and Chromium beside it: what every console browser test
 * starts from. Routing's offers are off by default, since they would race the test's own claims.
 */
export async function startConsoleInChromium(
  env: Record<string, string> = { ROUTING_AUTO_ASSIGN: 'false' },
  options: Parameters<typeof startTestService>[2] = {},
): Promise<{ service: TestService; browser: Browser }> {
  const [service, browser] = await Promise.all([startTestService('embedded', env, options), launchChromium()]);
  // The first request would build the console (seconds on a busy machine): build it before the clock runs.
  await service.agentConsole.prepare();
  return { service, browser };
}
