import type { ChoiceOption } from '../../core/message.js';

/**
 * The knowledge answers' words to the customer: the framing around a quoted or generated answer
 * (bots/knowledge/answer.ts), "Was this helpful?" and what follows it (bots/flows/knowledge-answer.ts,
 * bots/knowledge/feedback.ts), and the article cards other flows cite (bots/flows/cite-article.ts).
 * The articles' own words come from the knowledge base. Button values (`feedback:…`, `kb:rephrase`)
 * are built by the code that also reads them back; the catalogue holds only their labels.
 */
export interface KnowledgeCopy {
  wasThisHelpful: string;
  /** The labels of the two feedback buttons under an answer. */
  helpfulYes: string;
  helpfulNo: string;
  gladItHelped: string;
  didntAnswer: string;
  notSure: string;
  /** A second question in a row the articles don't answer: a person takes it, and the customer is told so. */
  handingOver: string;
  /** The label of the button that asks the customer to rephrase. */
  askAnotherWay: string;
  talkToPerson: ChoiceOption;
  askInOwnWords: string;
  youreWelcome: string;

  /** The passage of an article as quoted on its card. */
  quoted(excerpt: string): string;
  readFullArticle: string;
  /**
   * The title of a card backing a generated answer. The agent console reads the cited article
   * back from it (server/agent/context-log.ts strips "Source: "): keep the two in step.
   */
  sourceTitle(articleTitle: string): string;
  /** The link of an article another flow cites. */
  readArticle(articleTitle: string): string;
}

export const KNOWLEDGE_COPY_EN: KnowledgeCopy = {
  wasThisHelpful: 'Was this helpful?',
  helpfulYes: 'Yes',
  helpfulNo: 'No',
  gladItHelped: `Glad that helped! Anything else I can do for you?`,
  didntAnswer: `Sorry that didn't answer it. Would you like to ask another way, or talk to a person?`,
  notSure: `I'm not sure I have a good answer to that, and I'd rather not guess. Would you like to ask another way, or talk to a person?`,
  handingOver: `I still don't have a good answer for you, so I'm passing this to a member of our support team with what you asked. They'll reply here, no need to repeat yourself.`,
  askAnotherWay: 'Ask another way',
  talkToPerson: { label: 'Talk to a person', value: 'intent:human_agent' },
  askInOwnWords: `Of course. Ask me in your own words and I'll look again.`,
  youreWelcome: `You're welcome! Anything else I can help with?`,

  quoted: (excerpt) => `“${excerpt}”`,
  readFullArticle: 'Read the full article',
  sourceTitle: (articleTitle) => `Source: ${articleTitle}`,
  readArticle: (articleTitle) => `Read: ${articleTitle}`,
};
