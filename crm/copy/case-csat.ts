/**
 * What the customer reads when a resolved case asks for a satisfaction rating (crm/case-csat.ts,
 * docs/profiles-and-cases.md "Satisfaction after a resolution"). The conversation survey's own
 * words (bots/copy/satisfaction.ts) answer the rating and the comment.
 */
export interface CaseCsatCopy {
  /** SMS: the question with the reply instruction (one message, plain text). */
  smsQuestion(caseNumber: string, shopName: string): string;
  emailSubject(caseNumber: string): string;
  /** Email: the question above one link per score (the links are appended one a line). */
  emailIntro(caseNumber: string, shopName: string): string;
  emailScore(score: number): string;
  emailOutro: string;
  page: {
    title: string;
    question(caseNumber: string): string;
    scoreLabel(score: number): string;
    commentLabel: string;
    submit: string;
    thanks: string;
    thanksText: string;
    unknown: string;
    unknownText: string;
    answered: string;
    answeredText: string;
  };
}

const SCORE_NAMES = ['Very poor', 'Poor', 'OK', 'Good', 'Excellent'];

export const CASE_CSAT_COPY_EN: CaseCsatCopy = {
  smsQuestion: (n, shop) => `${shop}: your case ${n} is resolved. How would you rate the help you got, from 1 (poor) to 5 (excellent)? Reply with one number.`,
  emailSubject: (n) => `How did we do? Your case ${n}`,
  emailIntro: (n, shop) => `Your case ${n} with ${shop} support is resolved.\n\nHow would you rate the help you got? Choose a rating:`,
  emailScore: (score) => `${score} - ${SCORE_NAMES[score - 1] ?? ''}`,
  emailOutro: 'You can add a comment on the page the link opens. Each link works for this case only.',
  page: {
    title: 'How did we do?',
    question: (n) => `How would you rate the help you got with case ${n}?`,
    scoreLabel: (score) => `${score} - ${SCORE_NAMES[score - 1] ?? ''}`,
    commentLabel: 'Anything you would like to add? (optional)',
    submit: 'Send rating',
    thanks: 'Thank you',
    thanksText: 'Your feedback has been passed on to the team.',
    unknown: 'This link does not work',
    unknownText: 'Please use the link from the email we sent you.',
    answered: 'Already rated',
    answeredText: 'Thank you: a rating was already given for this case.',
  },
};
