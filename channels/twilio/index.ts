export { createTwilioRestClient, type TwilioRestClientOptions } from './rest-client.js';
export { classifyTwilioFailure, twilioDeliveryError } from './rest-failure.js';
export { TwilioSmsNotifier, type TwilioSender } from './sms-notifier.js';
