import type { ArticleFeedback } from '../../db/article-feedback.js';
import type { ChoiceOption } from '../../core/message.js';
import { DIALOGUE_COPY_EN } from '../copy/dialogue.js';
import { Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { splitRequests } from '../understanding/clauses.js';
import { feedbackOptions, namedProduct, parseFeedback, productFilterOf, type ComposedAnswer, type FeedbackPress, type KnowledgeAnswerer, type ProductLookup } from '../knowledge/index.js';
import type { KnowledgeSource } from './index.js';

export interface KnowledgeAnswerDeps {
  products: ProductLookup;
  feedback: Pick<ArticleFeedback, 'record'>;
  knowledge: KnowledgeSource;
  answerer: KnowledgeAnswerer;
}

const ARTICLE_SLOT = 'kb_article';
const STEPS = { awaitingFeedback: 'kb:awaiting_feedback', rephraseOffer: 'kb:rephrase_offer', awaitingQuestion: 'kb:awaiting_question' } as const;
const REPHRASE = 'kb:rephrase';
const OFFER_PERSON = { label: 'Talk to a person', value: 'intent:human_agent' };
/**
 * "How long do I have to return…", "what is the restocking fee…": asking how things work, not
 * asking to do something. A message about "my" order or device is a request for a flow.
 */
const GENERAL_QUESTION =
  /^\s*(how long|how many days|how soon|how quickly|how much|what(?:'s| is| are)|whats|is there an?|are there|can i still|what happens|who pays|is (?:return )?shipping|how (?:is|are) (?:an? |the )?\w+ (?:delivered|shipped|sent)|how do(?:es)? (?:an? |the )?\w+ work|do you|does (?:the |a )?\w+ (?:warranty|guarantee))\b/i;
const PERSONAL = /\b(my|mine)\b/i;
/**
 * "I dropped my laptop and the screen cracked, is that covered?": whether a kind of damage is
 * covered is the policy's answer (accidental damage, Care+), not a look-up of the customer's warranty.
 */
const DAMAGE_COVERED = /\b(?:dropped|drop|cracked|smashed|shattered|spilled|water|wet|fell|broke|broken|accident(?:al|ally)?|damaged?)\b.*\b(?:is|would|will|does) (?:that|this|it|the warranty|warranty)(?: be)? cover(?:ed)?\b/i;
/** "How long until my refund shows up": asks how long things take, answered even about "my" refund. */
const TIMING_QUESTION = /^\s*(how long|how many days|how soon|how quickly)\b/i;
/**
 * "How do I change the email on my account": the customer edits their profile themselves; the
 * how-to answers it, even about "my" account. Being locked out is an access problem, not this.
 */
const HOW_TO_EDIT_DETAILS = /^\s*(?:how (?:do|can|would) i|where (?:do|can) i|can i) (?:change|update|edit|correct) (?:the |my )?(?:e-?mail(?: address)?|name|phone(?: number)?|saved address(?:es)?|account details)\b(?!.*\b(?:can'?t|cannot|locked|hacked)\b)/i;

/**
 * Product and policy questions answered from the knowledge base with a quoted, linked article,
 * then "Was this helpful?" recorded per article. Also answers messages no intent handles, but
 * only when retrieval is confident (`answerUnhandled`).
 */
export class KnowledgeAnswerFlow implements Flow {
  readonly name = 'knowledge';

  constructor(private readonly deps: KnowledgeAnswerDeps) {}

  async handle(ctx: FlowContext, starting: boolean): Promise<TurnDecision> {
    const reply = new Reply(ctx, this.name);
    if (starting) reply.start();
    const press = parseFeedback(ctx.message.payload) ?? this.typedFeedback(ctx);
    if (press !== null) {
      await this.feedback(ctx, reply, press);
      return reply.decision();
    }
    if (ctx.message.payload === REPHRASE) {
      return reply.say(`Of course. Ask me in your own words and I'll look again.`).step(STEPS.awaitingQuestion).decision();
    }
    if (ctx.state.step === STEPS.awaitingFeedback && ctx.nlu.intent === 'thanks') {
      return reply.say(`You're welcome! Anything else I can help with?`).set(ARTICLE_SLOT, null).end('resolved').decision();
    }
    if (!(await this.answer(ctx, reply, 'tentative'))) {
      reply
        .choose(`I'm not sure I have a good answer to that, and I'd rather not guess. Would you like to ask another way, or talk to a person?`, [
          { label: 'Ask another way', value: REPHRASE },
          OFFER_PERSON,
        ])
        .step(STEPS.rephraseOffer);
    }
    return reply.decision();
  }

  /** The dialogue's hook for messages no flow or canned response covers: a confident answer, or null. */
  async answerUnhandled(ctx: FlowContext): Promise<TurnDecision | null> {
    const reply = new Reply(ctx, this.name);
    reply.start();
    return (await this.answer(ctx, reply, 'confident')) ? reply.decision() : null;
  }

  /**
   * The dialogue's hook before a transactional flow starts: a general policy question is
   * answered from the knowledge base (when confident) instead of starting, say, a return.
   */
  async answerGeneralQuestion(ctx: FlowContext): Promise<TurnDecision | null> {
    const text = ctx.message.text;
    const general = HOW_TO_EDIT_DETAILS.test(text) || DAMAGE_COVERED.test(text) || (GENERAL_QUESTION.test(text) && (!PERSONAL.test(text) || TIMING_QUESTION.test(text)));
    if (ctx.message.payload !== undefined || !general) return null;
    if (ctx.nlu.entities.some((e) => e.type === 'order_number' || e.type === 'email' || e.type === 'phone')) return null;
    const reply = new Reply(ctx, this.name);
    reply.start();
    // The customer asked how it works; the task the NLU heard ("start a return") is one press away.
    return (await this.answer(ctx, reply, 'confident', actionOffer(ctx.nlu.intent))) ? reply.decision() : null;
  }

  private async answer(ctx: FlowContext, reply: Reply, minimum: 'confident' | 'tentative', offer: ChoiceOption | null = null): Promise<boolean> {
    const named = await namedProduct(ctx, this.deps.products);
    const ask = (question: string): Promise<ComposedAnswer> =>
      this.deps.answerer.answer({ question, product: productFilterOf(named), locale: ctx.nlu.locale, minimum });
    const answers = (await this.eachQuestion(ctx.message.text, ask)) ?? [await ask(ctx.message.text)];
    const composed = answers[0];
    if (composed === undefined || composed.kind === 'unsure') return false;
    for (const answer of answers) if (answer.kind === 'answered') for (const message of answer.messages) reply.send(message);
    reply.choose('Was this helpful?', [...feedbackOptions(composed.articleId), ...(offer === null ? [] : [offer])]).set(ARTICLE_SLOT, composed.articleId).expect(null).step(STEPS.awaitingFeedback);
    return true;
  }

  /**
   * "do you ship to canada and is there a restocking fee?": two questions, two articles, both
   * answered. Null when the message is one question, or its parts don't each find a different article.
   */
  private async eachQuestion(text: string, ask: (question: string) => Promise<ComposedAnswer>): Promise<ComposedAnswer[] | null> {
    const parts = splitRequests(text);
    if (parts === null) return null;
    const answers = await Promise.all(parts.map(ask));
    const [first, second] = answers;
    if (first?.kind !== 'answered' || second?.kind !== 'answered' || first.articleId === second.articleId) return null;
    return answers;
  }

  /** A typed "yes"/"no" right after "Was this helpful?" counts as pressing the button. */
  private typedFeedback(ctx: FlowContext): FeedbackPress | null {
    const articleId = ctx.state.slots[ARTICLE_SLOT];
    if (ctx.state.step !== STEPS.awaitingFeedback || articleId === undefined || ctx.message.payload !== undefined) return null;
    if (ctx.nlu.intent === 'affirm') return { articleId, helpful: true };
    if (ctx.nlu.intent === 'deny') return { articleId, helpful: false };
    return null;
  }

  private async feedback(ctx: FlowContext, reply: Reply, press: FeedbackPress): Promise<void> {
    // The payload comes from the customer's client: only articles we publish are counted.
    const known = this.deps.knowledge.current().base.articles.some((a) => a.id === press.articleId && a.status === 'published');
    if (known) await this.deps.feedback.record({ articleId: press.articleId, conversationId: ctx.conversationId, helpful: press.helpful });
    reply.set(ARTICLE_SLOT, null);
    if (press.helpful) {
      reply.say(`Glad that helped! Anything else I can do for you?`).end('resolved');
      return;
    }
    reply
      .choose(`Sorry that didn't answer it. Would you like to ask another way, or talk to a person?`, [
        { label: 'Ask another way', value: REPHRASE },
        OFFER_PERSON,
      ])
      .step(STEPS.rephraseOffer);
  }
}

/** The task behind an information question, offered as a button under the answer; null for none. */
function actionOffer(intent: string | null): ChoiceOption | null {
  const label = intent === null ? null : DIALOGUE_COPY_EN.intentLabel(intent);
  return intent === null || label === null || intent === 'human_agent' ? null : { label, value: `intent:${intent}` };
}

type Hook = (ctx: FlowContext) => Promise<TurnDecision | null>;

/** The dialogue's knowledge hooks backed by the registered knowledge flow: `{}` when there is none. */
export function knowledgeHooks(flows: ReadonlyMap<string, Flow>): { answerUnhandled?: Hook; answerQuestion?: Hook } {
  const flow = flows.get('knowledge');
  if (!(flow instanceof KnowledgeAnswerFlow)) return {};
  return { answerUnhandled: (ctx) => flow.answerUnhandled(ctx), answerQuestion: (ctx) => flow.answerGeneralQuestion(ctx) };
}
