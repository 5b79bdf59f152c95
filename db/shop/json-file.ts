import { readFile, stat } from 'node:fs/promises';
import { SwitchboardError } from '../../core/errors.js';

/** The same ceiling as the admin import's request body (server/admin.ts). */
export const MAX_IMPORT_FILE_BYTES = 50 * 1024 * 1024;

/**
 * Reads and parses an import file. A file that is not JSON fails with SB_ERR_IMPORT naming the
 * file, the line and column and the character found there. Node 20's JSON.parse message gives no
 * position (it quotes a snippet instead), hence the small syntax scan below. JSON.parse only
 * builds data (a `"__proto__"` key becomes an own property, not a prototype); the strict import
 * schema then refuses any key it does not know, `__proto__` and `constructor` included.
 */
export async function readJsonFile(file: string, maxBytes: number = MAX_IMPORT_FILE_BYTES): Promise<unknown> {
  let text: string;
  try {
    const { size } = await stat(file);
    // Checked before reading: the file is read whole into memory.
    if (size > maxBytes) throw new SwitchboardError('SB_ERR_IMPORT', `${file} is ${size} bytes, over the limit of ${maxBytes}; nothing was imported`, [{ path: file, message: `is ${size} bytes; the limit is ${maxBytes}` }]);
    // Editors on Windows like to start files with a byte-order mark, which JSON.parse rejects.
    text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  } catch (error) {
    if (error instanceof SwitchboardError) throw error;
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new SwitchboardError('SB_ERR_IMPORT', `Cannot read ${file} (${reason}); nothing was imported`, [{ path: file, message: `cannot read the file (${reason})` }]);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const message = `is not valid JSON: ${describeJsonError(text)}`;
    throw new SwitchboardError('SB_ERR_IMPORT', `${file} ${message}; nothing was imported`, [{ path: file, message }]);
  }
}

/** Where the first JSON syntax error is, e.g. `unexpected "}" at line 3, column 5 (position 42)`. */
export function describeJsonError(text: string): string {
  const position = firstSyntaxError(text);
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  const found = position >= text.length ? 'end of file' : JSON.stringify(text.charAt(position));
  return `unexpected ${found} at line ${line}, column ${column} (position ${position})`;
}

function firstSyntaxError(text: string): number {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string) => {
    for (const ch of word) if (text.charAt(i) === ch) i++;
    else fail();
  };
  const string = () => {
    i++;
    while (i < text.length && text.charAt(i) !== '"') {
      const code = text.charCodeAt(i);
      if (code < 0x20) fail();
      if (text.charAt(i) === '\\') {
        i++;
        if (text.charAt(i) === 'u') {
          for (let k = 1; k <= 4; k++) if (!/[0-9a-fA-F]/.test(text.charAt(i + k))) fail();
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text.charAt(i)) || i >= text.length) fail();
      }
      i++;
    }
    if (i >= text.length) fail();
    i++;
  };
  const number = () => {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (match === null) fail();
    else i += match[0].length;
  };
  const value = (): void => {
    ws();
    const ch = text.charAt(i);
    if (ch === '{') {
      i++;
      ws();
      if (text.charAt(i) === '}') return void i++;
      for (;;) {
        ws();
        if (text.charAt(i) !== '"') fail();
        string();
        ws();
        if (text.charAt(i) !== ':') fail();
        i++;
        value();
        ws();
        if (text.charAt(i) === ',') i++;
        else if (text.charAt(i) === '}') return void i++;
        else fail();
      }
    }
    if (ch === '[') {
      i++;
      ws();
      if (text.charAt(i) === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (text.charAt(i) === ',') i++;
        else if (text.charAt(i) === ']') return void i++;
        else fail();
      }
    }
    if (ch === '"') return string();
    if (ch === 't') return literal('true');
    if (ch === 'f') return literal('false');
    if (ch === 'n') return literal('null');
    return number();
  };
  try {
    value();
    ws();
    return i < text.length ? i : text.length;
  } catch (position) {
    return typeof position === 'number' ? position : 0;
  }
}
