import type { ConversationEvent } from '../core/conversation.js';
import type { ConversationState } from '../core/conversation-state.js';
import type { InboundMessage, OutboundMessage } from '../core/message.js';
import { SATISFACTION_COPY_EN, type SatisfactionCopy } from './copy/satisfaction.js';

/** A rating is taken for a day after the question; a comment for an hour after the rating. */
const RATING_WINDOW_MS = 24 * 60 * 60 * 1000;
const COMMENT_WINDOW_MS = 60 * 60 * 1000;

/** A typed "no, that's all" after the rating: nothing to add. */
const NOTHING_TO_ADD = /^\s*(?:no+|nope|nah|nothing|no thanks?|no,? that'?s (?:all|it)|that'?s (?:all|it)|all good|n\/a)[\s.!]*$/i;
const SCORE_WORDS: Record<string, number> = { one: 1, two: 2, three: 3, four: 4, five: 5 };
/** "5", "4 stars", "5/5", "3 out of 5", "five", "⭐⭐⭐⭐": a rating; nothing longer is read as one. */
const SCORE_TEXT = /^\s*(?:i'?d (?:say|give (?:it|you) )|maybe |a |an? )?([1-5]|one|two|three|four|five)(?:\s*(?:stars?|\/\s*5|out of (?:5|five)|points?))?\s*[.!]*\s*$/i;

/** What the survey records and answers for one message; null: the message is not for it. */
export interface SurveyAnswer {
  events: ConversationEvent[];
  replies: OutboundMessage[];
}

/**
 * The CSAT survey (issue #11): once a person resolved the conversation, one question on the
 * customer's channel (1–5, buttons or typed), then an optional comment. Anything that is not an
 * answer — a new question days later — opens a new conversation as before.
 */
export class SatisfactionSurvey {
  constructor(private readonly copy: SatisfactionCopy = SATISFACTION_COPY_EN) {}

  /** The question, asked once per conversation: empty when it was asked already. */
  ask(state: ConversationState, at: string): SurveyAnswer {
    if (state.csat !== null) return { events: [], replies: [] };
    return { events: [{ at, type: 'csat_requested' }], replies: [{ kind: 'choice', text: this.copy.question, options: this.copy.scores }] };
  }

  /**
   * A message to a resolved conversation that answers the survey: the rating while one is
   * awaited, then the comment (`isRequest`: the message is a new request, not a comment).
   */
  answer(state: ConversationState, message: InboundMessage, now: Date, isRequest: boolean): SurveyAnswer | null {
    const { csat } = state;
    if (csat === null || state.status !== 'resolved') return null;
    const at = now.toISOString();
    const age = now.getTime() - Date.parse(csat.askedAt);
    if (csat.score === null) {
      const score = scoreOf(message);
      if (score === null || age > RATING_WINDOW_MS) return null;
      return {
        events: [{ at, type: 'csat_rated', score }],
        replies: [{ kind: 'choice', text: this.copy.askComment(score), options: [this.copy.nothingToAdd] }],
      };
    }
    if (csat.commented || age > RATING_WINDOW_MS + COMMENT_WINDOW_MS) return null;
    if (isNothingToAdd(message, this.copy)) return { events: [{ at, type: 'csat_commented', comment: null }], replies: [{ kind: 'text', text: this.copy.thanks }] };
    if (message.payload !== undefined || isRequest || message.text.trim() === '') return null;
    return { events: [{ at, type: 'csat_commented', comment: message.text.trim() }], replies: [{ kind: 'text', text: this.copy.thanks }] };
  }

  /** Whether a message to a resolved conversation may be an answer (the turn reads its intent only then). */
  awaitsComment(state: ConversationState): boolean {
    return state.status === 'resolved' && state.csat !== null && state.csat.score !== null && !state.csat.commented;
  }
}

/** The 1–5 rating a message gives (a pressed button, "4", "4 stars", "five", ⭐⭐⭐⭐), or null: nothing else is read as one. */
export function scoreOf(message: Pick<InboundMessage, 'text' | 'payload'>): number | null {
  const pressed = /^csat:([1-5])$/.exec(message.payload ?? '');
  if (pressed !== null) return Number(pressed[1]);
  if (message.payload !== undefined) return null;
  const stars = message.text.trim();
  if (/^(?:⭐|★){1,5}$/u.test(stars)) return [...stars].length;
  const typed = SCORE_TEXT.exec(message.text);
  if (typed === null) return null;
  const word = typed[1]!.toLowerCase();
  return SCORE_WORDS[word] ?? Number(word);
}

/** "No, that's all" after the rating: the button, or a typed "no thanks". */
export function isNothingToAdd(message: Pick<InboundMessage, 'text' | 'payload'>, copy: SatisfactionCopy = SATISFACTION_COPY_EN): boolean {
  return message.payload === copy.nothingToAdd.value || (message.payload === undefined && NOTHING_TO_ADD.test(message.text));
}
