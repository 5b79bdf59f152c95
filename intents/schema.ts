import { z } from 'zod';
import { EntityTypeSchema } from '../core/nlu.js';

/** Fewer phrases than this cannot train an intent the classifier tells apart reliably. */
export const MIN_PHRASES = 10;

const NAME = /^[a-z][a-z0-9_]*$/;

/**
 * One intent as content (`intents/shop/<name>.yaml`). `flow`, `responses`, neither (affirm/deny are
 * used inside flows) — never both, because the bot could not tell which to run.
 */
export const IntentFileSchema = z
  .object({
    name: z.string().regex(NAME, 'must be snake_case (a-z, 0-9, _), starting with a letter'),
    description: z.string().default(''),
    locale: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a locale such as "en" or "en-US"').default('en'),
    phrases: z.array(z.string().trim().min(1, 'must not be empty')).min(MIN_PHRASES, `needs at least ${MIN_PHRASES} phrases`),
    entities: z.array(EntityTypeSchema).default([]),
    flow: z.string().regex(NAME, 'must be snake_case').optional(),
    responses: z.array(z.string().trim().min(1, 'must not be empty')).optional(),
    humanOnly: z.boolean().default(false),
  })
  .strict()
  .refine((v) => v.flow === undefined || v.responses === undefined, {
    message: 'has both flow and responses; an intent either starts a flow or answers',
    path: ['responses'],
  });

export type IntentFile = z.infer<typeof IntentFileSchema>;

/** Comparing phrases across intents: case, punctuation and spacing do not make two phrases different. */
export function normalizePhrase(phrase: string): string {
  return phrase
    .toLowerCase()
    .normalize('NFKC')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
