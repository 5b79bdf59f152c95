import type { ArticleFeedback } from '../../db/article-feedback.js';
import { Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { feedbackOptions, namedProduct, parseFeedback, productFilterOf, type FeedbackPress, type KnowledgeAnswerer, type ProductLookup } from '../knowledge/index.js';
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
const GENERAL_QUESTION = /^\s*(how long|how many days|what(?:'s| is| are)|whats|is there an?|are there|can i still|what happens)\b/i;
const PERSONAL = /\b(my|mine)\b/i;

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
    if (ctx.message.payload !== undefined || !GENERAL_QUESTION.test(text) || PERSONAL.test(text)) return null;
    if (ctx.nlu.entities.some((e) => e.type === 'order_number' || e.type === 'email' || e.type === 'phone')) return null;
    return this.answerUnhandled(ctx);
  }

  private async answer(ctx: FlowContext, reply: Reply, minimum: 'confident' | 'tentative'): Promise<boolean> {
    const named = await namedProduct(ctx, this.deps.products);
    const composed = await this.deps.answerer.answer({
      question: ctx.message.text,
      product: productFilterOf(named),
      locale: ctx.nlu.locale,
      minimum,
    });
    if (composed.kind === 'unsure') return false;
    for (const message of composed.messages) reply.send(message);
    reply.choose('Was this helpful?', feedbackOptions(composed.articleId)).set(ARTICLE_SLOT, composed.articleId).expect(null).step(STEPS.awaitingFeedback);
    return true;
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

type Hook = (ctx: FlowContext) => Promise<TurnDecision | null>;

/** The dialogue's knowledge hooks backed by the registered knowledge flow: `{}` when there is none. */
export function knowledgeHooks(flows: ReadonlyMap<string, Flow>): { answerUnhandled?: Hook; answerQuestion?: Hook } {
  const flow = flows.get('knowledge');
  if (!(flow instanceof KnowledgeAnswerFlow)) return {};
  return { answerUnhandled: (ctx) => flow.answerUnhandled(ctx), answerQuestion: (ctx) => flow.answerGeneralQuestion(ctx) };
}
