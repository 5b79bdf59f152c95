export { whatsAppWebChannel, type WhatsAppWebChannel, type WhatsAppWebLogger } from './connector.js';
export { createWhatsAppWebClient, whatsAppWebSessionDir, CHROMIUM_ARGS } from './client.js';
export { WhatsAppWebSender, WHATSAPP_WEB_CAPABILITIES } from './sender.js';
export { parseWhatsAppWebMessage, senderIdOf, chatIdOf, type WhatsAppWebSkip } from './parse.js';
export { WhatsAppWebSession, WhatsAppWebStatusSchema, WhatsAppWebStateSchema, type WhatsAppWebStatus, type WhatsAppWebState } from './status.js';
export { whatsAppWebAdminRouter, whatsAppWebAdminDocs, WHATSAPP_WEB_ADMIN_PATH } from './admin-page.js';
export { encodeQr, qrSvg, type QrMatrix } from './qr-code.js';
export type { WhatsAppWebClient, WhatsAppWebMessage, WhatsAppWebSent } from './wire.js';
