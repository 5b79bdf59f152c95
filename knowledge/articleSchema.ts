import { z } from 'zod';

export const ARTICLE_CATEGORIES = [
  'shipping',
  'returns',
  'refunds',
  'warranty',
  'payment',
  'account',
  'orders',
  'setup',
  'troubleshooting',
  'policies',
] as const;

export const ArticleCategorySchema = z.enum(ARTICLE_CATEGORIES, { error: `expected ${ARTICLE_CATEGORIES.join('|')}` });
export type ArticleCategory = z.infer<typeof ArticleCategorySchema>;

export const ArticleStatusSchema = z.enum(['draft', 'published'], { error: 'expected draft|published' });
export type ArticleStatus = z.infer<typeof ArticleStatusSchema>;

/** Front matter is read with YAML's core schema, which keeps an unquoted `2025-03-01` as text. */
const isoDate = z
  .string({ error: 'expected an ISO date such as 2025-03-01' })
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/, 'expected an ISO date such as 2025-03-01')
  .refine((value) => !Number.isNaN(Date.parse(value)), 'expected an ISO date such as 2025-03-01');

/**
 * The front matter of an article. Strict, so a misspelt key (`catgory:`) is an error rather
 * than a silently missing field.
 */
export const ArticleFrontMatterSchema = z.strictObject(
  {
    id: z
      .string({ error: 'expected a kebab-case id' })
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected a kebab-case id such as reset-your-password'),
    title: z.string({ error: 'expected a title' }).trim().min(1, 'expected a title').max(160),
    category: ArticleCategorySchema,
    products: z.array(z.string().trim().min(1), { error: 'expected a list of product names' }).default([]),
    locale: z
      .string({ error: 'expected a locale such as en or en-GB' })
      .regex(/^[a-z]{2,3}(-[A-Z]{2})?$/, 'expected a locale such as en or en-GB')
      .default('en'),
    tags: z.array(z.string().trim().min(1), { error: 'expected a list of tags' }).default([]),
    status: ArticleStatusSchema,
    updated: isoDate,
  },
  { error: (issue) => (issue.code === 'unrecognized_keys' ? `unknown field(s) ${issue.keys.join(', ')}` : undefined) },
);
export type ArticleFrontMatter = z.infer<typeof ArticleFrontMatterSchema>;

/** One article as the bot uses it: validated front matter plus the Markdown body. */
export const ArticleSchema = ArticleFrontMatterSchema.extend({ body: z.string() });
export type Article = z.infer<typeof ArticleSchema>;
