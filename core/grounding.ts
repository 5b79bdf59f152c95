import { z } from 'zod';

/** A passage a generated answer may use, with where it came from: what the bot hands a chat model. */
export const GroundingPassageSchema = z.object({
  articleId: z.string().min(1),
  title: z.string(),
  url: z.string(),
  text: z.string(),
});
export type GroundingPassage = z.infer<typeof GroundingPassageSchema>;

/** A generated answer that passed the checks, citing only passages it was given. */
export const GroundedAnswerSchema = z.object({
  text: z.string().min(1),
  citedArticleIds: z.array(z.string()).min(1),
});
export type GroundedAnswer = z.infer<typeof GroundedAnswerSchema>;

/**
 * Optional generative answers (a chat model): grounded only in the passages given, citing
 * them, or null when the passages don't support an answer.
 */
export interface GenerativeAnswerer {
  answer(question: string, passages: GroundingPassage[]): Promise<GroundedAnswer | null>;
}
