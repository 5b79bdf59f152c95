import { randomBytes } from 'node:crypto';
import { copyFile, cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { z } from 'zod';
import { loadConfig } from '../core/config.js';
import { parseJson } from '../core/parse-json.js';
import { createLogger } from '../server/logger.js';
import { startService } from '../server/service.js';
import { TEST_DATABASE_URL, TEST_REDIS_URL } from './services.js';

/**
 * A service's first start is mostly its database's: PGlite's initdb, every migration, the demo
 * shop, the shipped articles, pg-boss's schema, the demo agents' password hashes. Test services
 * are started a few hundred times per run, so the run starts one of each deployment once (global
 * setup), stops it, and every test service starts from a copy of what it left: the same data
 * directory for the embedded deployment, a Postgres database created from it as a TEMPLATE.
 * The copies are then started by `startService` like any existing installation, so what runs
 * is the real start path; only the first start's work is not repeated. Services that could have
 * made a different first start (no demo data, their own database) start from nothing.
 */
export const SERVICE_TEMPLATES_ENV = 'SB_TEST_SERVICE_TEMPLATES';

const TemplatesSchema = z.object({
  /** A stopped embedded service's DATA_DIR (pgdata and secrets.json). */
  embedded: z.string(),
  /** A stopped Redis + Postgres service: its database and its DATA_DIR (secrets.json, matching the demo agents' hashes). */
  postgres: z.object({ database: z.string(), dataDir: z.string() }),
});
type Templates = z.infer<typeof TemplatesSchema>;

/** The environment every test service starts with (test/service.ts adds its own DATA_DIR and deployment). */
export function baseTestEnv(dataDir: string): Record<string, string> {
  return {
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    LOG_LEVEL: 'silent',
    NODE_ENV: 'test',
    // Every suite talks from 127.0.0.1; the per-address budget has its own tests at real values.
    WEBCHAT_MESSAGES_PER_MINUTE_PER_IP: '100000',
    // Suites verify their customers many times from 127.0.0.1 within minutes, beyond the per-IP
    // and per-customer verification budgets; the verification limit tests set them explicitly.
    OTP_MAX_ATTEMPTS_PER_IP: '1000',
    OTP_SENDS_PER_HOUR: '100',
  };
}

function postgresUrl(database: string): string {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onPostgres(sql: string): Promise<void> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(sql);
  } finally {
    await admin.end();
  }
}

async function firstStart(env: Record<string, string>): Promise<void> {
  const service = await startService(loadConfig(env), { log: createLogger('silent') });
  await service.close();
}

/** Global setup: one first start per deployment; `remove` is the teardown. */
export async function createServiceTemplates(): Promise<{ templates: Templates; remove: () => Promise<void> }> {
  const embedded = await mkdtemp(path.join(os.tmpdir(), 'sb-template-embedded-'));
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'sb-template-postgres-'));
  const database = `sb_template_${randomBytes(6).toString('hex')}`;
  const remove = async (): Promise<void> => {
    await rm(embedded, { recursive: true, force: true });
    await rm(dataDir, { recursive: true, force: true });
    await onPostgres(`drop database if exists ${database} with (force)`);
  };
  try {
    await onPostgres(`create database ${database}`);
    await Promise.all([
      firstStart(baseTestEnv(embedded)),
      firstStart({ ...baseTestEnv(dataDir), DATABASE_URL: postgresUrl(database), REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `sbtemplate:${randomBytes(6).toString('hex')}:` }),
    ]);
  } catch (error) {
    await remove().catch(() => undefined);
    throw error;
  }
  return { templates: { embedded, postgres: { database, dataDir } }, remove };
}

function templates(): Templates | null {
  const raw = process.env[SERVICE_TEMPLATES_ENV];
  return raw === undefined ? null : (TemplatesSchema.safeParse(parseJson(raw)).data ?? null);
}

/** Whether a service with this environment makes the same first start as the templates. */
function startsLikeTemplate(extraEnv: Record<string, string>): boolean {
  return extraEnv.SEED_DEMO !== 'false' && extraEnv.DATABASE_URL === undefined && extraEnv.DATA_DIR === undefined;
}

/** Fills a new embedded DATA_DIR from the template; false when there is none to use (the service makes its own first start). */
export async function copyEmbeddedTemplate(dataDir: string, extraEnv: Record<string, string>): Promise<boolean> {
  const from = templates();
  if (from === null || !startsLikeTemplate(extraEnv)) return false;
  await cp(from.embedded, dataDir, { recursive: true });
  return true;
}

/** The Postgres database to create a test database from, with the template's secrets copied into DATA_DIR; null when there is none. */
export async function postgresTemplate(dataDir: string, extraEnv: Record<string, string>): Promise<string | null> {
  const from = templates();
  if (from === null || !startsLikeTemplate(extraEnv)) return null;
  await copyFile(path.join(from.postgres.dataDir, 'secrets.json'), path.join(dataDir, 'secrets.json'));
  return from.postgres.database;
}
