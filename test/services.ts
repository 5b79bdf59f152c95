/**
 * Where tests reach the real services. Defaults match the development machines and CI
 * (PostgreSQL on 127.0.0.1:5432 with trust auth, Redis on 127.0.0.1:6379).
 */
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
