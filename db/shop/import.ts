import type { Kysely } from 'kysely';
import type { z } from 'zod';
import { SwitchboardError, formatPath, type ErrorDetail } from '../../core/errors.js';
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
  if (!parsed.success) throw importError(parsed.error.issues.map((issue) => describeIssue(data, issue)));
  return parsed.data;
}

/** The field that names each record: what a person fixing the file searches for. */
const RECORD_KEY: Readonly<Record<string, readonly [noun: string, key: string]>> = {
  customers: ['customer', 'id'],
  products: ['product', 'sku'],
  orders: ['order', 'number'],
  devices: ['device', 'serial'],
};

/**
 * `orders[3].status` with "order 100234: …" in front, and for a closed vocabulary (a status, a
 * channel) the value that was refused: an index alone is hard to find in a large file.
 */
function describeIssue(data: unknown, issue: z.core.$ZodIssue): ErrorDetail {
  const path = formatPath('', issue.path);
  const [collection, index] = issue.path;
  const naming = typeof collection === 'string' && typeof index === 'number' ? RECORD_KEY[collection] : undefined;
  const record = naming === undefined ? undefined : valueAt(data, [collection as string, index as number, naming[1]]);
  const prefix = naming !== undefined && typeof record === 'string' ? `${naming[0]} ${record}: ` : '';
  const refused = issue.code === 'invalid_value' ? valueAt(data, issue.path) : undefined;
  const got = typeof refused === 'string' ? `; got ${JSON.stringify(refused.slice(0, 40))}` : '';
  return { path, message: `${prefix}${issue.message}${got}` };
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let at: unknown = data;
  for (const key of path) {
    if (typeof at !== 'object' || at === null || !Object.hasOwn(at, key)) return undefined;
    at = (at as Record<PropertyKey, unknown>)[key];
  }
  return at;
}

function importError(details: ErrorDetail[]): SwitchboardError {
  const shown = details.slice(0, MAX_DETAILS);
  if (details.length > MAX_DETAILS) shown.push({ path: '(root)', message: `…and ${details.length - MAX_DETAILS} more problems` });
  const noun = details.length === 1 ? 'problem' : 'problems';
  return new SwitchboardError('SB_ERR_IMPORT', `The import file is invalid (${details.length} ${noun}); nothing was imported`, shown);
}
