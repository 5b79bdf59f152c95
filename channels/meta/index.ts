export { metaConnectors, metaChannelDocs, MetaAckSchema, acknowledgeMeta, type MetaAppCredentials, type MetaChannelsOptions } from './connector.js';
export { GraphApiClient, classifyGraphFailure, GRAPH_API_VERSION, type GraphApiClientOptions } from './graph-client.js';
export { answerMetaHandshake, signMetaBody, verifyMetaSignature, META_SIGNATURE_HEADER } from './signature.js';
export { WhatsAppCloudSender, WHATSAPP_CAPABILITIES, WHATSAPP_LIMITS, whatsAppContent } from './whatsapp-sender.js';
export { MessagingSender, MESSENGER_CAPABILITIES, INSTAGRAM_CAPABILITIES, sendApiMessage } from './messaging-sender.js';
export { parseWhatsAppWebhook } from './whatsapp-parse.js';
export { parseMessagingWebhook } from './messaging-parse.js';
export { loadWhatsAppTemplates, parseWhatsAppTemplates, WhatsAppTemplates, type WhatsAppTemplate, type TemplateParameter } from './templates.js';
export { templateContent } from './whatsapp-sender.js';
