export { classifySmtpFailure, smtpDeliveryError } from './smtp-failure.js';
export { SmtpNotifier, type SmtpNotifierOptions } from './smtp-notifier.js';
