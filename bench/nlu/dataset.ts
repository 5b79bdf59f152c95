import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { SwitchboardError } from '../../core/errors.js';

/** One labelled utterance of a benchmark split; intent `oos` means out of scope. */
export const LabelledRowSchema = z.object({ text: z.string().min(1), intent: z.string().min(1) });
export type LabelledRow = z.infer<typeof LabelledRowSchema>;

/**
 * Reads a JSON Lines split. Any bad line stops the run with the file and 1-based line number,
 * because a silently skipped row would change the benchmark figures.
 */
export function readJsonl(file: string): LabelledRow[] {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (error) {
    throw new SwitchboardError('SB_ERR_VALIDATION', `Cannot read ${file}: ${(error as Error).message}`, [
      { path: file, message: 'file not found or not readable' },
    ], { cause: error });
  }
  const rows: LabelledRow[] = [];
  const lines = content.split('\n');
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    const where = `${file}:${i + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new SwitchboardError('SB_ERR_VALIDATION', `${where}: not valid JSON (${(error as Error).message})`, [
        { path: where, message: 'not valid JSON' },
      ]);
    }
    const parsed = LabelledRowSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.join('.') || '(root)';
      throw new SwitchboardError('SB_ERR_VALIDATION', `${where}: expected {"text": non-empty string, "intent": non-empty string}; ${field}: ${issue?.message ?? 'invalid'}`, [
        { path: `${where} ${field}`, message: issue?.message ?? 'invalid' },
      ]);
    }
    rows.push(parsed.data);
  });
  if (rows.length === 0) {
    throw new SwitchboardError('SB_ERR_VALIDATION', `${file} holds no rows`, [{ path: file, message: 'empty file' }]);
  }
  return rows;
}
