import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import type { ChoiceOption } from '../../core/message.js';

const FEEDBACK = /^feedback:([a-z0-9]+(?:-[a-z0-9]+)*):(yes|no)$/;

/** The quick replies under an answer; the payload names the article so feedback is counted per article. */
export function feedbackOptions(articleId: string): ChoiceOption[] {
  return [
    { label: 'Yes', value: `feedback:${articleId}:yes` },
    { label: 'No', value: `feedback:${articleId}:no` },
  ];
}

export interface FeedbackPress {
  articleId: string;
  helpful: boolean;
}

/** A pressed "Was this helpful?" button, or null for anything else. */
export function parseFeedback(payload: string | undefined): FeedbackPress | null {
  const match = payload === undefined ? null : FEEDBACK.exec(payload);
  if (match === null) return null;
  return { articleId: match[1]!, helpful: match[2] === 'yes' };
}

/**
 * Stores one "was this helpful?" answer. Callers check that the article exists first: the
 * payload comes from the customer's client and could name anything.
 */
export async function recordFeedback(
  db: Kysely<Database>,
  input: { articleId: string; conversationId: string; helpful: boolean },
): Promise<void> {
  await db
    .insertInto('kb_feedback')
    .values({ article_id: input.articleId, conversation_id: input.conversationId, helpful: input.helpful })
    .execute();
}
