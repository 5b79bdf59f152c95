import type { IntentFile } from '../schema.js';
import { importError, intentsFromGroups, type PhraseGroups } from './importError.js';
import type { ErrorDetail } from '../../core/errors.js';

/** What a phrase file may hold: far above real training data, far below what exhausts memory. */
export interface CsvLimits {
  maxBytes: number;
  maxRows: number;
  maxCellsPerRow: number;
  maxCellChars: number;
}
export const CSV_LIMITS: CsvLimits = { maxBytes: 16 * 1024 * 1024, maxRows: 200_000, maxCellsPerRow: 16, maxCellChars: 2_000 };

/**
 * Splits RFC 4180 CSV into rows, remembering the line each row starts on (quoted cells may span
 * lines). Stops at the first row over a limit, so an endless cell or row is never built.
 */
export function parseCsvRows(text: string, limits: CsvLimits = CSV_LIMITS): Array<{ line: number; cells: string[] }> | { line: number; message: string } {
  const bytes = text.length > limits.maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return { line: 1, message: `the file is ${bytes} bytes; the limit is ${limits.maxBytes}` };
  const rows: Array<{ line: number; cells: string[] }> = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  const endCell = (): string | undefined => {
    cells.push(cell);
    cell = '';
    return cells.length > limits.maxCellsPerRow ? `a row has more than ${limits.maxCellsPerRow} cells` : undefined;
  };
  const endRow = (): string | undefined => {
    if (!(cells.length === 1 && cells[0] === '')) rows.push({ line: rowLine, cells });
    cells = [];
    return rows.length > limits.maxRows ? `more than ${limits.maxRows} rows` : undefined;
  };
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i]!;
    let problem: string | undefined;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        cell += c;
      }
    } else if (c === '"') {
      if (cell !== '') return { line, message: 'a quote inside an unquoted cell' };
      quoted = true;
    } else if (c === ',') {
      problem = endCell();
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      problem = endCell() ?? endRow();
      line++;
    } else cell += c;
    if (cell.length > limits.maxCellChars) problem = `a cell is longer than ${limits.maxCellChars} characters`;
    if (problem !== undefined) return { line: rowLine, message: problem };
    if (cells.length === 0 && cell === '') rowLine = line;
  }
  if (quoted) return { line: rowLine, message: 'a quoted cell is never closed' };
  const problem = endCell() ?? endRow();
  return problem === undefined ? rows : { line: rowLine, message: problem };
}

// A leading quote is added on export so spreadsheets do not run the cell as a formula (OWASP's
// list of formula starters). Text that already starts with quotes before one gets one more, so
// the import, which removes exactly one, gives back what was exported.
const NEUTRALISED = /^'+[=+\-@\t\r]/;
const FORMULA = /^'*[=+\-@\t\r]/;

/** Reads `phrase,intent` CSV (with that header); errors name the line. */
export function importCsv(text: string, existing: readonly IntentFile[] = [], file = 'phrases.csv'): IntentFile[] {
  const rows = parseCsvRows(text);
  if (!Array.isArray(rows)) throw importError([{ path: `${file}:${rows.line}`, message: rows.message }]);
  const header = rows[0];
  if (header === undefined || header.cells.map((c) => c.trim().toLowerCase()).join(',') !== 'phrase,intent') {
    throw importError([{ path: `${file}:1`, message: 'the first line must be the header "phrase,intent"' }]);
  }
  const details: ErrorDetail[] = [];
  const groups: PhraseGroups = new Map();
  for (const row of rows.slice(1)) {
    if (row.cells.length !== 2) {
      details.push({ path: `${file}:${row.line}`, message: `expected 2 cells (phrase,intent), found ${row.cells.length}` });
      continue;
    }
    const phrase = row.cells[0]!.replace(NEUTRALISED, (m) => m.slice(1)).trim();
    const intent = row.cells[1]!.trim();
    if (phrase === '' || intent === '') {
      details.push({ path: `${file}:${row.line}`, message: 'phrase and intent must not be empty' });
      continue;
    }
    const group = groups.get(intent) ?? { phrases: [], where: `${file} (intent ${intent}, first at line ${row.line})` };
    group.phrases.push(phrase);
    groups.set(intent, group);
  }
  if (details.length > 0) throw importError(details);
  return intentsFromGroups(groups, existing);
}

function cell(value: string): string {
  const safe = FORMULA.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Every phrase as `phrase,intent`; cells a spreadsheet would run as a formula are neutralised. */
export function exportCsv(intents: readonly IntentFile[]): string {
  const lines = ['phrase,intent'];
  for (const intent of intents) for (const phrase of intent.phrases) lines.push(`${cell(phrase)},${cell(intent.name)}`);
  return `${lines.join('\r\n')}\r\n`;
}
