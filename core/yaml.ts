import { Buffer } from 'node:buffer';
import { isAlias, isScalar, LineCounter, Parser, parseDocument, visit, type CST, type Document, type DocumentOptions, type ParseOptions, type SchemaOptions } from 'yaml';

/**
 * The one way Switchboard reads YAML that an editor, an import or a file supplies (articles'
 * front matter, intent files, Rasa imports, troubleshooting trees, the return policy). Data
 * only: nothing in the text can choose code, a constructor or a type, and no text can make the
 * parser use unbounded memory, time or stack.
 */

export interface YamlLimits {
  /** Largest source accepted, in UTF-8 bytes. */
  maxBytes: number;
  /**
   * How far aliases may expand (yaml's count of alias uses × aliases inside the anchored node).
   * Content never needs many; a billion-laughs document needs millions.
   */
  maxAliasCount: number;
  /** Deepest nesting of mappings and lists. yaml composes recursively, so depth is stack. */
  maxDepth: number;
}

export const DEFAULT_YAML_LIMITS: YamlLimits = { maxBytes: 1024 * 1024, maxAliasCount: 10, maxDepth: 64 };

/** One problem, on the 1-based line of the text it was found in. */
export interface YamlProblem {
  line: number;
  message: string;
}

export type SafeYaml =
  | {
      ok: true;
      /** Plain data: objects, arrays, strings, numbers, booleans and null. */
      value: unknown;
      /** The parsed document, for callers that report the line of a node. */
      document: Document.Parsed;
      /** The line (with `firstLine` applied) of a character offset, e.g. a node's `range[0]`. */
      lineAt(offset: number): number;
    }
  | { ok: false; problems: YamlProblem[] };

const OPTIONS: ParseOptions & DocumentOptions & SchemaOptions = {
  // YAML 1.2 core: strings, numbers, booleans, null, maps and lists. Pinned even when the text
  // says `%YAML 1.1`, whose schema adds !!binary, timestamps and `<<` merges.
  version: '1.2',
  schema: 'core',
  customTags: [],
  // Otherwise the core schema still resolves !!binary, !!omap, !!pairs, !!set and !!timestamp.
  resolveKnownTags: false,
  // `<<` is an ordinary key (and so an unknown field), not a way to copy other mappings in.
  merge: false,
  uniqueKeys: true,
  // `? [a, b]: 1` would otherwise become the key "[ a, b ]" with only a warning on the console.
  stringKeys: true,
  strict: true,
  prettyErrors: false,
  // Problems are returned, never printed.
  logLevel: 'error',
};

/**
 * Parses one YAML document as plain data, or returns every problem with its line. Never throws
 * and never evaluates anything: tags other than the core ones (`!!js/function`, `!!binary`,
 * `!custom`…) are errors rather than strings, `__proto__` keys are refused, and the size, alias
 * expansion and nesting are bounded. `firstLine` is the line the text starts on in its file
 * (front matter starts on line 2).
 */
export function parseSafeYaml(text: string, options: Partial<YamlLimits> & { firstLine?: number } = {}): SafeYaml {
  const limits = { ...DEFAULT_YAML_LIMITS, ...options };
  const shift = (options.firstLine ?? 1) - 1;
  const fail = (line: number, message: string): SafeYaml => ({ ok: false, problems: [{ line: line + shift, message }] });

  // `length` first: it is a lower bound of the byte count and costs nothing on a huge string.
  const bytes = text.length > limits.maxBytes ? text.length : Buffer.byteLength(text, 'utf8');
  if (bytes > limits.maxBytes) return fail(1, `is ${bytes} bytes; the limit is ${limits.maxBytes}`);

  const tooDeep = firstTooDeep(text, limits.maxDepth);
  if (tooDeep !== undefined) return fail(lineOfOffset(text, tooDeep), `nested more than ${limits.maxDepth} levels deep`);

  const counter = new LineCounter();
  let document: Document.Parsed;
  try {
    document = parseDocument(text, { ...OPTIONS, lineCounter: counter });
  } catch (error) {
    return fail(1, `cannot be read as YAML (${errorMessage(error)})`);
  }
  const lineAt = (offset: number): number => counter.linePos(offset).line + shift;

  // Warnings count as problems: to yaml an unresolved tag is only a warning, and it keeps the text.
  const problems: YamlProblem[] = [...document.errors, ...document.warnings].map((e) => ({ line: lineAt(e.pos[0]), message: describe(e.code, e.message) }));
  visit(document, {
    // Own data after toJS either way; refused so no consumer that copies keys can meet one.
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') {
        problems.push({ line: lineAt(pair.key.range?.[0] ?? 0), message: 'the key __proto__ is not allowed' });
      }
    },
  });
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line) };

  try {
    return { ok: true, value: document.toJS({ maxAliasCount: limits.maxAliasCount }), document, lineAt };
  } catch (error) {
    // toJS throws for an alias bomb and for an alias used before its anchor.
    const line = lineAt(firstAliasOffset(document) ?? 0);
    const message = /excessive alias count/i.test(errorMessage(error))
      ? `aliases expand too far (at most ${limits.maxAliasCount} alias uses are allowed)`
      : errorMessage(error);
    return { ok: false, problems: [{ line, message }] };
  }
}

/** yaml's words, with the tag spelt as the author wrote it and the reason a tag is refused. */
function describe(code: string, message: string): string {
  if (code === 'TAG_RESOLVE_FAILED') {
    const tag = /Unresolved tag: (\S+)/.exec(message)?.[1]?.replace(/^tag:yaml\.org,2002:/, '!!');
    if (tag !== undefined) return `tag ${tag} is not allowed: only plain YAML values (text, numbers, true/false, null, lists and mappings)`;
  }
  if (code === 'MULTIPLE_DOCS') return 'a second YAML document starts here; only one is allowed';
  return message;
}

/**
 * The offset of the first collection nested deeper than `maxDepth`, found on yaml's concrete
 * syntax tree: its parser keeps an explicit stack, so this walk is safe at any depth, while the
 * composer that builds the document recurses (thousands of `[` overflow the stack, and near the
 * limit V8 can abort the whole process instead of throwing).
 */
function firstTooDeep(text: string, maxDepth: number): number | undefined {
  const stack: Array<{ token: CST.Token; depth: number }> = [];
  for (const token of new Parser().parse(text)) stack.push({ token, depth: 0 });
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { token, depth } = next;
    switch (token.type) {
      case 'document':
        if (token.value !== undefined) stack.push({ token: token.value, depth });
        break;
      case 'block-map':
      case 'block-seq':
      case 'flow-collection': {
        if (depth + 1 > maxDepth) return token.offset;
        for (const item of token.items) {
          if (item.key) stack.push({ token: item.key, depth: depth + 1 });
          if (item.value) stack.push({ token: item.value, depth: depth + 1 });
        }
        break;
      }
      default:
        break;
    }
  }
  return undefined;
}

function firstAliasOffset(document: Document.Parsed): number | undefined {
  let offset: number | undefined;
  visit(document, {
    Alias(_key, node) {
      if (isAlias(node) && node.range) offset = node.range[0];
      return visit.BREAK;
    },
  });
  return offset;
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? error.message) : String(error);
}
