import path from 'node:path';
import type { WhatsAppWebClient } from './wire.js';

/** Headless, and nothing in the background that would phone Google or update itself. */
export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] as const;

/** Where the logged-in session lives: DATA_DIR/whatsapp-web (whatsapp-web.js LocalAuth). */
export function whatsAppWebSessionDir(dataDir: string): string {
  return path.join(dataDir, 'whatsapp-web');
}

/**
 * The whatsapp-web.js `Client` of this service: its session kept by `LocalAuth` under DATA_DIR
 * (so a restart does not ask for a new scan), driving the system's Chromium (Debian's
 * `apt-get install chromium`; puppeteer downloads no browser of its own). Imported only when
 * WHATSAPP_WEB=true, so a service without the channel never loads puppeteer. Nothing starts
 * until `initialize()`.
 */
export async function createWhatsAppWebClient(options: { dataDir: string; chromium: string }): Promise<WhatsAppWebClient> {
  const { default: library } = await import('whatsapp-web.js');
  return new library.Client({
    authStrategy: new library.LocalAuth({ dataPath: whatsAppWebSessionDir(options.dataDir) }),
    puppeteer: { executablePath: options.chromium, headless: true, args: [...CHROMIUM_ARGS] },
  });
}
