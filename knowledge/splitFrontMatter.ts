/**
 * An article split into its front matter (YAML text) and its Markdown body, or why it cannot be.
 * `yamlFirstLine` is the file line the YAML starts on, so YAML problems name file lines.
 */
export type FrontMatterSplit = { ok: true; yaml: string; yamlFirstLine: number; body: string } | { ok: false; line: number; message: string };

/** `---` and nothing else but spaces: the only opening and closing line. */
const DELIMITER = /^---[ \t]*$/;
/** How much of an unexpected opening line an error quotes. */
const QUOTE_CHARS = 40;

/**
 * Splits `---\n<YAML>\n---\n<body>`. Front matter is YAML and nothing else: gray-matter, which
 * this replaced, took `---js`, `---javascript` or `---coffee` to mean "evaluate this block as
 * code", so any opening line with something after the dashes is refused rather than guessed at.
 */
export function splitFrontMatter(text: string): FrontMatterSplit {
  // Editors on Windows like to start files with a byte-order mark.
  const source = text.startsWith('\uFEFF') ? text.slice(1) : text;
  const firstBreak = source.indexOf('\n');
  const opening = (firstBreak === -1 ? source : source.slice(0, firstBreak)).replace(/\r$/, '');
  if (!DELIMITER.test(opening)) {
    if (opening.startsWith('---')) {
      const shown = opening.length > QUOTE_CHARS ? `${opening.slice(0, QUOTE_CHARS)}…` : opening;
      return { ok: false, line: 1, message: `front matter must be YAML (opening line ---), found ${shown}` };
    }
    return { ok: false, line: 1, message: 'missing: start the file with a --- line, then the YAML front matter, then another --- line' };
  }
  const lines = source.slice(firstBreak + 1).split('\n');
  const closing = lines.findIndex((line) => DELIMITER.test(line.replace(/\r$/, '')));
  if (firstBreak === -1 || closing === -1) return { ok: false, line: 1, message: 'the front matter is never closed: end it with a --- line' };
  // Windows line ends: a lone \r left at the end of the block would end up inside the last value.
  const yaml = lines.slice(0, closing).map((line) => line.replace(/\r$/, '')).join('\n');
  return { ok: true, yaml, yamlFirstLine: 2, body: lines.slice(closing + 1).join('\n') };
}
