import type { ChoiceOption } from '../../core/message.js';
import { KNOWLEDGE_COPY_EN as COPY } from '../copy/knowledge.js';

const FEEDBACK = /^feedback:([a-z0-9]+(?:-[a-z0-9]+)*):(yes|no)$/;

/** The quick replies under an answer; the payload names the article so feedback is counted per article. */
export function feedbackOptions(articleId: string): ChoiceOption[] {
  return [
    { label: COPY.helpfulYes, value: `feedback:${articleId}:yes` },
    { label: COPY.helpfulNo, value: `feedback:${articleId}:no` },
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
