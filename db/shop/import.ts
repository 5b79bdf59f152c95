import type { Kysely } from 'kysely';
import { SwitchboardError, detailsFromZodIssues, type ErrorDetail } from '../../core/errors.js';
import type { Database } from '../schema.js';
import { ShopImportSchema, type ShopImport } from './import-schema.js';
import { findImportProblems } from './validate.js';
import { lockShopWrites, writeShop, type ImportProgress, type ImportSummary } from './write.js';

export interface ImportOptions {
  onProgress?: ImportProgress;
}

/** A file with thousands of bad rows still yields a readable error. */
const MAX_DETAILS = 200;

/**
 * Validates `data` completely (shape, emails, E.164 phones, duplicate IDs, references, timelines)
 * and only then upserts it in one transaction. Any problem throws SB_ERR_IMPORT naming each bad
 * field as `collection[index].field`, and nothing is written.
 */
export async function importShop(db: Kysely<Database>, data: unknown, options: ImportOptions = {}): Promise<ImportSummary> {
  const valid = await validateShopImport(db, data);
  return db.transaction().execute(async (trx) => {
    await lockShopWrites(trx);
    return writeShop(trx, valid, options.onProgress);
  });
}

/** The validation half of `importShop`: the parsed file, or SB_ERR_IMPORT with every problem. */
export async function validateShopImport(db: Kysely<Database>, data: unknown): Promise<ShopImport> {
  const parsed = parseShopImport(data);
  const problems = await findImportProblems(db, parsed);
  if (problems.length > 0) throw importError(problems);
  return parsed;
}

/** The shape-only half of validation (no database): lets the CLI reject a bad file before opening one. */
export function parseShopImport(data: unknown): ShopImport {
  const parsed = ShopImportSchema.safeParse(data);
  if (!parsed.success) throw importError(detailsFromZodIssues(parsed.error.issues));
  return parsed.data;
}

function importError(details: ErrorDetail[]): SwitchboardError {
  const shown = details.slice(0, MAX_DETAILS);
  if (details.length > MAX_DETAILS) shown.push({ path: '(root)', message: `…and ${details.length - MAX_DETAILS} more problems` });
  const noun = details.length === 1 ? 'problem' : 'problems';
  return new SwitchboardError('SB_ERR_IMPORT', `The import file is invalid (${details.length} ${noun}); nothing was imported`, shown);
}
