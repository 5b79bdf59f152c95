/**
 * Markdown to plain text a channel can quote: no heading marks, emphasis, link targets or
 * HTML; bullets become "•", numbered steps keep their numbers, one item per line.
 */
export function renderPassage(markdown: string): string {
  const lines = markdown.replace(/\r\n?/g, '\n').split('\n');
  const out: string[] = [];
  for (const [i, raw] of lines.entries()) {
    let line = raw.trim();
    if (isTableRow(line)) {
      // Separator and header rows carry no answer; a data row reads as "first cell: the rest".
      if (isTableSeparator(line) || isTableSeparator(lines[i + 1]?.trim() ?? '')) continue;
      const [first, ...rest] = tableCells(line);
      line = `- ${first ?? ''}${rest.length > 0 ? `: ${rest.join('; ')}` : ''}`;
    }
    if (line === '' || /^(-{3,}|\*{3,}|_{3,})$/.test(line) || /^```/.test(line)) {
      out.push('');
      continue;
    }
    const isHeading = /^#{1,6}\s/.test(line);
    line = line
      .replace(/^#{1,6}\s+/, '')
      .replace(/^>\s?/, '')
      .replace(/^[-*+]\s+\[[ xX]\]\s+/, '• ')
      .replace(/^[-*+]\s+/, '• ')
      .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .replace(/<[^>]+>/g, '')
      .replace(/(\*\*|__)(.+?)\1/g, '$2')
      .replace(/(^|[\s(])([*_])(\S(?:.*?\S)?)\2(?=[\s).,;:!?]|$)/g, '$1$3')
      .replace(/`([^`]+)`/g, '$1')
      .replace(/\s{2,}/g, ' ');
    out.push(line);
    if (isHeading) out.push('');
  }
  // Paragraph lines wrapped in the source join with a space; list items keep their own line.
  const joined: string[] = [];
  for (const line of out) {
    const previous = joined[joined.length - 1];
    const isItem = /^(•|\d+[.)])\s/.test(line);
    if (line === '') joined.push('');
    else if (previous !== undefined && previous !== '' && !isItem) joined[joined.length - 1] = `${previous} ${line}`;
    else joined.push(line);
  }
  return joined
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

function isTableRow(line: string): boolean {
  return line.startsWith('|') && line.endsWith('|') && line.length > 1;
}

function isTableSeparator(line: string): boolean {
  return /^\|?(\s*:?-{3,}:?\s*\|)+\s*:?-{0,}:?\s*\|?$/.test(line);
}

function tableCells(line: string): string[] {
  return line
    .slice(1, -1)
    .split('|')
    .map((cell) => cell.trim());
}

/** Sentences and list items of plain text, in order. */
export function splitSentences(plain: string): string[] {
  const sentences: string[] = [];
  for (const line of plain.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    // Split after . ! ? followed by a space and a capital/digit/bullet, so "e.g. the" and "v2.1" stay whole.
    for (const part of trimmed.split(/(?<=[.!?])\s+(?=[A-Z0-9"“(•])/)) {
      if (part.trim() !== '') sentences.push(part.trim());
    }
  }
  return sentences;
}
