import { z } from 'zod';
import { formatPath, type ErrorDetail } from './errors.js';

/**
 * Text Postgres cannot store: `text` and `jsonb` refuse U+0000, and a lone UTF-16 surrogate has
 * no UTF-8 form (jsonb rejects its `\ud800` escape; a text column would silently turn it into
 * U+FFFD). With the `u` flag, `\p{Cs}` matches only surrogates that are not part of a pair.
 */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what is looked for
const UNSTORABLE = /[\u0000\p{Cs}]/u;
// eslint-disable-next-line no-control-regex -- as above
const UNSTORABLE_ALL = /[\u0000\p{Cs}]/gu;

/** Why a string cannot be stored, or null when it can. */
export function unstorableReason(text: string): string | null {
  const match = UNSTORABLE.exec(text);
  if (match === null) return null;
  return match[0] === '\u0000' ? 'contains a NUL character (U+0000)' : 'contains an unpaired UTF-16 surrogate';
}

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** A string the database can store; use it for every free-text field at a boundary. */
export const StorableTextSchema = z.string().refine(isStorableText, {
  message: 'must not contain NUL characters (U+0000) or unpaired UTF-16 surrogates',
});

interface Visit {
  value: unknown;
  parent: Visit | null;
  key: string | number | null;
}

const MAX_KEY_CHARS = 64;
const MAX_PATH_CHARS = 200;

/** A field name as it can be shown in an error: bad characters escaped, long names cut. */
function printableKey(key: string): string {
  const escaped = key.replace(UNSTORABLE_ALL, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > MAX_KEY_CHARS ? `${escaped.slice(0, MAX_KEY_CHARS)}…` : escaped;
}

function pathOf(visit: Visit, prefix: string): string {
  const parts: Array<string | number> = [];
  for (let at: Visit | null = visit; at !== null && at.key !== null; at = at.parent) {
    parts.push(typeof at.key === 'number' ? at.key : printableKey(at.key));
  }
  const path = formatPath(prefix, parts.reverse());
  // A body nested thousands deep must not come back as a path of that size.
  return path.length > MAX_PATH_CHARS ? `${path.slice(0, MAX_PATH_CHARS)}…` : path;
}

function isPlainObject(value: object): value is Record<string, unknown> {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Every string (value or field name) in parsed JSON or a query object that the database would
 * refuse, named by its path (`text`, `articles[2].body`). Iterative, so a deeply nested body
 * cannot overflow the stack; plain objects and arrays only, so `__proto__` and other odd keys
 * are just names.
 */
export function findUnstorableText(root: unknown, prefix = '', limit = 20): ErrorDetail[] {
  const found: ErrorDetail[] = [];
  const seen = new Set<object>();
  const pending: Visit[] = [{ value: root, parent: null, key: null }];
  for (let visit = pending.pop(); visit !== undefined && found.length < limit; visit = pending.pop()) {
    const { value } = visit;
    if (typeof value === 'string') {
      const reason = unstorableReason(value);
      if (reason !== null) found.push({ path: pathOf(visit, prefix), message: reason });
      continue;
    }
    if (typeof value !== 'object' || value === null || seen.has(value)) continue;
    seen.add(value);
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i -= 1) pending.push({ value: value[i], parent: visit, key: i });
      continue;
    }
    if (!isPlainObject(value)) continue;
    for (const key of Object.keys(value).reverse()) {
      const child: Visit = { value: Object.getOwnPropertyDescriptor(value, key)?.value, parent: visit, key };
      const reason = unstorableReason(key);
      if (reason !== null) found.push({ path: pathOf(child, prefix), message: `the field name ${reason}` });
      pending.push(child);
    }
  }
  return found.slice(0, limit);
}
