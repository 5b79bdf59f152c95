// whatsapp-web.js drives WhatsApp Web through Puppeteer. Never download a browser at install:
// the machine's Debian chromium is used (PUPPETEER_EXECUTABLE_PATH / WHATSAPP_WEB_CHROMIUM).
module.exports = { skipDownload: true };
