import path from 'node:path';
import { SwitchboardError, formatPath, type ErrorDetail } from '../core/errors.js';

/** One problem in a content file: the file (as shown to editors), the field path and what is wrong. */
export interface ContentProblem {
  file: string;
  field: string;
  message: string;
}

/** How a file is named in errors: relative to the working directory when inside it, so editors can open it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative.split(path.sep).join('/') : file;
}

export function problemsFromZod(
  file: string,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
): ContentProblem[] {
  return issues.map((issue) => ({ file, field: formatPath('', issue.path), message: issue.message }));
}

/**
 * Every problem found, in one error: the message spells out the first as
 * `knowledge/articles/foo.md: status: expected draft|published`, the details list all of them.
 */
export function knowledgeError(problems: readonly ContentProblem[]): SwitchboardError {
  const details: ErrorDetail[] = problems.map((p) => ({ path: `${p.file}: ${p.field}`, message: p.message }));
  const first = problems[0];
  const head = first === undefined ? 'The knowledge-base content is invalid' : `${first.file}: ${first.field}: ${first.message}`;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? 's' : ''})` : '';
  return new SwitchboardError('SB_ERR_KNOWLEDGE', head + more, details);
}
