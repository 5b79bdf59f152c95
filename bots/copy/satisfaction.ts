import type { ChoiceOption } from '../../core/message.js';

/** The satisfaction survey sent after a person resolved the conversation (bots/satisfaction.ts). */
export interface SatisfactionCopy {
  question: string;
  scores: ChoiceOption[];
  /** After the rating: an optional comment. */
  askComment(score: number): string;
  nothingToAdd: ChoiceOption;
  thanks: string;
}

export const SATISFACTION_COPY_EN: SatisfactionCopy = {
  question: 'How would you rate the help you got today, from 1 (poor) to 5 (excellent)?',
  scores: [
    // Ascending, so that on a text-only channel the typed option number is the score.
    { label: '1 - Very poor', value: 'csat:1' },
    { label: '2 - Poor', value: 'csat:2' },
    { label: '3 - OK', value: 'csat:3' },
    { label: '4 - Good', value: 'csat:4' },
    { label: '5 - Excellent', value: 'csat:5' },
  ],
  askComment: (score) =>
    score >= 4 ? 'Thank you! Is there anything you would like to add? (optional)' : "Thank you for telling us. What could we have done better? (optional)",
  nothingToAdd: { label: "No, that's all", value: 'csat-comment:none' },
  thanks: 'Thanks, your feedback has been passed on to the team.',
};
