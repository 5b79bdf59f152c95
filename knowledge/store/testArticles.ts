/** Article sources for the store and editor tests. */
export function articleSource(
  id: string,
  options: { title?: string; body?: string; status?: 'draft' | 'published'; extra?: string } = {},
): string {
  return [
    '---',
    `id: ${id}`,
    `title: ${options.title ?? `Article ${id}`}`,
    'category: policies',
    `status: ${options.status ?? 'draft'}`,
    'updated: 2025-03-01',
    ...(options.extra !== undefined ? [options.extra] : []),
    '---',
    options.body ?? `The ${id} article explains how the zyxwv warranty sticker works on every device we sell.`,
    '',
  ].join('\n');
}
