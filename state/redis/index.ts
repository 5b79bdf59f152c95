export { createRedisBackend, type RedisBackendOptions } from './backend.js';
export { redactRedisUrl, type StateLog } from './connection.js';
