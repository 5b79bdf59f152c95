import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../core/config.js';
import { SwitchboardError, isSwitchboardError } from '../core/errors.js';
import { openDatabase, type DatabaseHandle, type DatabaseLocation } from './connection.js';
import { importShop, parseShopImport, readJsonFile, seedDemoShop, shopImportJsonSchema, type ImportSummary } from './shop/index.js';

const USAGE = `Usage: npm run shop -- <command>

Commands:
  import FILE.json   Validate FILE and upsert its customers, products, orders and devices.
                     All or nothing: on any bad record nothing is written and the exit code is 1.
  seed               Seed the Voltline demo shop, if the database has no customers yet.
  schema             Print the JSON Schema of the import file
                     (npx tsx db/cli.ts schema > docs/schemas/shop-import.schema.json).

Options:
  -h, --help         Show this help.

The database is the server's: DATABASE_URL if set, else embedded PGlite at \${DATA_DIR}/pgdata
(DATA_DIR defaults to ./data). Stop a server using the same PGlite directory first.`;

/** Below this many records a progress bar would only flicker. */
const PROGRESS_THRESHOLD = 1000;

async function main(argv: readonly string[]): Promise<number> {
  let parsed: ReturnType<typeof parseCommand>;
  try {
    parsed = parseCommand(argv);
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (parsed.help || parsed.command === undefined) {
    process.stdout.write(`${USAGE}\n`);
    return parsed.help ? 0 : 2;
  }
  try {
    switch (parsed.command) {
      case 'schema':
        process.stdout.write(shopImportJsonSchema());
        return 0;
      case 'seed':
        return await withDatabase(async (handle) => {
          const { seeded } = await seedDemoShop(handle.db);
          process.stdout.write(seeded ? 'Seeded the Voltline demo shop.\n' : 'The database already has customers; the demo shop was not seeded.\n');
          return 0;
        });
      case 'import': {
        const file = parsed.file;
        if (file === undefined) throw new SwitchboardError('SB_ERR_VALIDATION', 'import needs a file: npm run shop -- import FILE.json');
        const data = await readJsonFile(file);
        // Shape errors need no database: report them before paying for opening one.
        parseShopImport(data);
        return await withDatabase(async (handle) => {
          const summary = await importWithProgress(handle, data);
          process.stdout.write(`Imported ${file} into ${handle.kind}:\n${formatSummary(summary)}`);
          return 0;
        });
      }
      default: {
        const never: never = parsed.command;
        throw new Error(`unhandled command ${String(never)}`);
      }
    }
  } catch (error) {
    process.stderr.write(formatError(error));
    return 1;
  }
}

function parseCommand(argv: readonly string[]): { command?: 'import' | 'seed' | 'schema'; file?: string; help: boolean } {
  const { values, positionals } = parseArgs({ args: [...argv], allowPositionals: true, options: { help: { type: 'boolean', short: 'h' } } });
  const [command, file, ...rest] = positionals;
  const help = values.help === true;
  if (command === undefined) return { help };
  if (command !== 'import' && command !== 'seed' && command !== 'schema') throw new Error(`Unknown command "${command}".`);
  if (rest.length > 0 || (command !== 'import' && file !== undefined)) throw new Error(`Too many arguments for "${command}".`);
  return { command, help, ...(file !== undefined ? { file } : {}) };
}

async function withDatabase(run: (handle: DatabaseHandle) => Promise<number>): Promise<number> {
  const config = loadConfig();
  const location: DatabaseLocation =
    config.DATABASE_URL !== undefined ? { kind: 'postgres', url: config.DATABASE_URL, poolSize: 2 } : { kind: 'pglite', dataDir: path.join(config.DATA_DIR, 'pgdata') };
  const handle = await openDatabase(location);
  try {
    return await run(handle);
  } finally {
    await handle.close();
  }
}

async function importWithProgress(handle: DatabaseHandle, data: unknown): Promise<ImportSummary> {
  let bar: cliProgress.SingleBar | undefined;
  try {
    return await importShop(handle.db, data, {
      onProgress: (done, total) => {
        if (total < PROGRESS_THRESHOLD) return;
        if (bar === undefined) {
          bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'importing [{bar}] {percentage}% | {value}/{total} records' }, cliProgress.Presets.shades_classic);
          bar.start(total, done);
        } else bar.update(done);
      },
    });
  } finally {
    bar?.stop();
  }
}

function formatSummary(summary: ImportSummary): string {
  return Object.entries(summary)
    .map(([collection, s]) => `  ${collection.padEnd(10)} inserted ${s.inserted}, updated ${s.updated}, unchanged ${s.unchanged}\n`)
    .join('');
}

function formatError(error: unknown): string {
  if (!isSwitchboardError(error)) return `error: ${error instanceof Error ? error.message : String(error)}\n`;
  return [`error ${error.code}: ${error.message}`, ...error.details.map((d) => `  ${d.path}: ${d.message}`)].join('\n') + '\n';
}

process.exitCode = await main(process.argv.slice(2));
