import type { Config } from '../core/config.js';
import { createWhatsAppWebClient, whatsAppWebChannel, type WhatsAppWebChannel, type WhatsAppWebLogger } from '../channels/whatsapp-web/index.js';

/**
 * WhatsApp through whatsapp-web.js when WHATSAPP_WEB=true (docs/channels.md); null otherwise,
 * and then no Client is constructed and puppeteer is never loaded.
 */
export async function whatsAppWebFromConfig(deps: {
  config: Pick<Config, 'WHATSAPP_WEB' | 'WHATSAPP_WEB_CHROMIUM' | 'DATA_DIR'>;
  log: WhatsAppWebLogger;
  /** Test-only: false constructs the real Client but never launches its browser (tests emit its events). */
  launch?: boolean;
}): Promise<WhatsAppWebChannel | null> {
  const { config } = deps;
  if (!config.WHATSAPP_WEB) return null;
  const client = await createWhatsAppWebClient({ dataDir: config.DATA_DIR, chromium: config.WHATSAPP_WEB_CHROMIUM });
  return whatsAppWebChannel({ client, log: deps.log, ...(deps.launch === false ? { launch: async () => undefined } : {}) });
}
