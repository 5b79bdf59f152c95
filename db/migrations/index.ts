import type { Migration, MigrationProvider } from 'kysely';
import * as m0001 from './0001-shop-and-conversations.js';
import * as m0002 from './0002-self-service.js';
import * as m0003 from './0003-throttle-counters.js';

/** Migrations are listed in code so a bundled build needs no file-system scan. Append only. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-shop-and-conversations': m0001,
  '0002-self-service': m0002,
  '0003-throttle-counters': m0003,
};

export const migrationProvider: MigrationProvider = {
  getMigrations: () => Promise.resolve(MIGRATIONS),
};
