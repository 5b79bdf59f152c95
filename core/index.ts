export * from './errors.js';
export * from './message.js';
export * from './nlu.js';
export * from './stores.js';
export * from './conversation.js';
export * from './config.js';
export * from './channel.js';
export * from './notifier.js';
