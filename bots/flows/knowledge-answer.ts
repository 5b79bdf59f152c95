import { z } from 'zod';
import type { ArticleFeedback } from '../../db/article-feedback.js';
import { flowState, Text } from '../flow-state.js';
import type { ChoiceOption } from '../../core/message.js';
import { DIALOGUE_COPY_EN, ENGLISH_ONLY_NOTE } from '../copy/dialogue.js';
import { KNOWLEDGE_COPY_EN as COPY } from '../copy/knowledge.js';
import { Reply, type Flow, type FlowContext, type TurnDecision } from '../flow.js';
import { splitRequests } from '../understanding/clauses.js';
import { foreignLanguage } from '../understanding/language.js';
import { describesDeviceProblem } from '../knowledge/device-problem.js';
import { englishReading } from '../knowledge/english-reading.js';
import { feedbackOptions, namedProduct, parseFeedback, productFilterOf, type ComposedAnswer, type FeedbackPress, type KnowledgeAnswerer, type ProductLookup } from '../knowledge/index.js';
import type { KnowledgeSource } from './index.js';

export interface KnowledgeAnswerDeps {
  products: ProductLookup;
  feedback: Pick<ArticleFeedback, 'record'>;
  knowledge: KnowledgeSource;
  answerer: KnowledgeAnswerer;
}

const ARTICLE_SLOT = 'kb_article';
const UNANSWERED_SLOT = 'kb_unanswered';
/**
 * `kb_article`: the article whose "Was this helpful?" is on screen. `kb_unanswered`: the
 * questions asked in a row that the articles had no answer for, so the second one goes to a
 * person with both instead of offering "ask another way" again and again.
 */
const KnowledgeState = flowState({ [ARTICLE_SLOT]: Text, [UNANSWERED_SLOT]: z.array(Text) });
/** "Ask another way" is offered once; the next question the articles can't answer goes to a person. */
const UNANSWERED_BEFORE_PERSON = 2;
/**
 * The languages the bot notes it answers in English. A message in one that the articles in its
 * language (mostly none) don't answer is searched in the English articles with the English
 * reading of its shop words ("Wie lange … zurückzugeben?" → "how long … return"): the reading
 * the classifier uses (intents/classifier/glossary.ts).
 */
const NOTED_LANGUAGES: ReadonlySet<string> = new Set(Object.keys(ENGLISH_ONLY_NOTE));
/** The language the help articles are written in (bots answer in English, see ENGLISH_ONLY_NOTE). */
const ENGLISH = 'en';
const STEPS = { awaitingFeedback: 'kb:awaiting_feedback', rephraseOffer: 'kb:rephrase_offer', awaitingQuestion: 'kb:awaiting_question' } as const;
const REPHRASE = 'kb:rephrase';
const ASK_ANOTHER_WAY: ChoiceOption = { label: COPY.askAnotherWay, value: REPHRASE };
/**
 * "How long do I have to return…", "what is the restocking fee…": asking how things work, not
 * asking to do something. A message about "my" order or device is a request for a flow.
 */
const GENERAL_QUESTION =
  /^\s*(how long|how many days|how soon|how quickly|how much|what(?:'s| is| are)|whats|is there an?|are there|can i still|what happens|who pays|is (?:return )?shipping|how (?:is|are|do|does) (?:an? |the )?\w+ (?:get )?(?:delivered|shipped|sent)|how do(?:es)? (?:an? |the )?\w+ work|do you|does (?:the |a )?\w+ (?:warranty|guarantee))\b/i;
const PERSONAL = /\b(my|mine)\b/i;
/**
 * "I dropped my laptop and the screen cracked, is that covered?": whether a kind of damage is
 * covered is the policy's answer (accidental damage, Care+), not a look-up of the customer's warranty.
 */
const DAMAGE_COVERED = /\b(?:dropped|drop|cracked|smashed|shattered|spilled|water|wet|fell|broke|broken|accident(?:al|ally)?|damaged?)\b.*\b(?:is|would|will|does) (?:that|this|it|the warranty|warranty)(?: be)? cover(?:ed)?\b/i;
/**
 * "is my camera still under warranty by the way?" in the middle of another task: a yes/no
 * question asked in passing, answered from the articles so the running task goes on; the task
 * asked about stays one press away (`actionOffer`). Asked with nothing running, it starts that task.
 */
const YES_NO_QUESTION = /^\s*(?:is|are|does|do|will)\b/i;
/** "…and how much does it cost": a second question that needs the first for what it is about. */
const LEANS_ON_FIRST = /\b(?:it|its|that|this|they|them|those|one)\b/i;
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
  readonly state = KnowledgeState;

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
      return reply.say(COPY.askInOwnWords).step(STEPS.awaitingQuestion).decision();
    }
    if (ctx.state.step === STEPS.awaitingFeedback && ctx.nlu.intent === 'thanks') {
      return reply.say(COPY.youreWelcome).set(ARTICLE_SLOT, null).end('resolved').decision();
    }
    if (await this.answer(ctx, reply, 'tentative')) {
      if (KnowledgeState.get(ctx.state, UNANSWERED_SLOT) !== null) KnowledgeState.set(reply, UNANSWERED_SLOT, null);
    } else this.unanswered(ctx, reply);
    return reply.decision();
  }

  /**
   * No good answer: the first time, "ask another way, or talk to a person?"; the second in a
   * row, a person takes over with what was asked: the customer is never left going round.
   */
  private unanswered(ctx: FlowContext, reply: Reply): void {
    const asked = [...(KnowledgeState.get(ctx.state, UNANSWERED_SLOT) ?? []), ctx.message.text.slice(0, 300)];
    if (asked.length < UNANSWERED_BEFORE_PERSON) {
      KnowledgeState.set(reply, UNANSWERED_SLOT, asked);
      reply.choose(COPY.notSure, [ASK_ANOTHER_WAY, COPY.talkToPerson]).step(STEPS.rephraseOffer);
      return;
    }
    const detail = `the help articles had no answer ${asked.length} times in a row; asked: ${asked.map((q) => `"${q}"`).join(', ')}`;
    KnowledgeState.set(reply, UNANSWERED_SLOT, null);
    KnowledgeState.set(reply, ARTICLE_SLOT, null);
    reply.say(COPY.handingOver).expect(null).end('handed_off').handoff('misunderstood_twice', detail);
  }

  /** The dialogue's hook for messages no flow or canned response covers: a confident answer, or null. */
  async answerUnhandled(ctx: FlowContext): Promise<TurnDecision | null> {
    const reply = new Reply(ctx, this.name);
    reply.start();
    return (await this.answer(ctx, reply, 'confident')) ? reply.decision() : null;
  }

  /** A device of the customer's and one of its troubleshooting tree's symptoms (bots/knowledge/device-problem.ts). */
  async describesDeviceProblem(ctx: FlowContext): Promise<boolean> {
    if (ctx.message.payload !== undefined || ctx.state.activeFlow !== null) return false;
    const named = await namedProduct(ctx, this.deps.products);
    return describesDeviceProblem(this.deps.knowledge.current().base.trees, named?.family ?? null, ctx.message.text);
  }

  /**
   * The dialogue's hook before a transactional flow starts: a general policy question is
   * answered from the knowledge base (when confident) instead of starting, say, a return.
   */
  async answerGeneralQuestion(ctx: FlowContext): Promise<TurnDecision | null> {
    const text = ctx.message.text;
    const midTask = ctx.state.activeFlow !== null && ctx.state.activeFlow !== this.name && YES_NO_QUESTION.test(text);
    const general = midTask || HOW_TO_EDIT_DETAILS.test(text) || DAMAGE_COVERED.test(text) || (GENERAL_QUESTION.test(text) && (!PERSONAL.test(text) || TIMING_QUESTION.test(text)));
    if (ctx.message.payload !== undefined || !general) return null;
    if (ctx.nlu.entities.some((e) => e.type === 'order_number' || e.type === 'email' || e.type === 'phone')) return null;
    const reply = new Reply(ctx, this.name);
    reply.start();
    // The customer asked how it works; the task the NLU heard ("start a return") is one press away.
    return (await this.answer(ctx, reply, 'confident', actionOffer(ctx.nlu.intent))) ? reply.decision() : null;
  }

  private async answer(ctx: FlowContext, reply: Reply, minimum: 'confident' | 'tentative', offer: ChoiceOption | null = null): Promise<boolean> {
    const named = await namedProduct(ctx, this.deps.products);
    const compose = async (text: string, locale: string): Promise<ComposedAnswer[]> => {
      const ask = (question: string, articleId?: string): Promise<ComposedAnswer> =>
        this.deps.answerer.answer({ question, product: productFilterOf(named), locale, minimum, articleId });
      return (await this.eachQuestion(text, ask)) ?? [await ask(text)];
    };
    let answers = await compose(ctx.message.text, ctx.nlu.locale);
    // Articles in the customer's language (if any) first; else the English articles, read in English.
    if (answers[0]?.kind !== 'answered' && foreignLanguage(ctx.message.text, NOTED_LANGUAGES) !== null) {
      answers = await compose(englishReading(ctx.message.text), ENGLISH);
    }
    const composed = answers[0];
    if (composed === undefined || composed.kind === 'unsure') return false;
    for (const answer of answers) if (answer.kind === 'answered') for (const message of answer.messages) reply.send(message);
    reply.choose(COPY.wasThisHelpful, [...feedbackOptions(composed.articleId), ...(offer === null ? [] : [offer])]).set(ARTICLE_SLOT, composed.articleId).expect(null).step(STEPS.awaitingFeedback);
    return true;
  }

  /**
   * "do you ship to canada and is there a restocking fee?": two questions, two articles, both
   * answered. Null when the message is one question, or its parts don't each find a different article.
   */
  private async eachQuestion(text: string, ask: (question: string, articleId?: string) => Promise<ComposedAnswer>): Promise<ComposedAnswer[] | null> {
    const parts = splitRequests(text);
    if (parts === null) return null;
    const answers = await Promise.all(parts.map((part) => ask(part)));
    const [first, second] = answers;
    if (first?.kind === 'answered' && second?.kind === 'answered' && first.articleId !== second.articleId) return answers;
    // "what is care plus and how much does it cost": two questions about one thing ("it" leans on
    // the first part). The whole question chooses the article; each part, its passage in it.
    if (!LEANS_ON_FIRST.test(parts[1])) return null;
    const whole = await ask(text);
    if (whole.kind !== 'answered') return null;
    const within = await Promise.all(parts.map((part) => ask(part, whole.articleId)));
    const [one, two] = within;
    if (one?.kind !== 'answered' || two?.kind !== 'answered' || JSON.stringify(one.messages) === JSON.stringify(two.messages)) return null;
    // The parts add to the whole question's answer, never replace it.
    const keepsWhole = within.some((part) => JSON.stringify(part) === JSON.stringify(whole));
    return keepsWhole ? within : null;
  }

  /** A typed "yes"/"no" right after "Was this helpful?" counts as pressing the button. */
  private typedFeedback(ctx: FlowContext): FeedbackPress | null {
    const articleId = KnowledgeState.get(ctx.state, ARTICLE_SLOT);
    if (ctx.state.step !== STEPS.awaitingFeedback || articleId === null || ctx.message.payload !== undefined) return null;
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
      reply.say(COPY.gladItHelped).end('resolved');
      return;
    }
    reply
      .choose(COPY.didntAnswer, [ASK_ANOTHER_WAY, COPY.talkToPerson])
      .step(STEPS.rephraseOffer);
  }
}

/** The task behind an information question, offered as a button under the answer; null for none. */
function actionOffer(intent: string | null): ChoiceOption | null {
  const label = intent === null ? null : DIALOGUE_COPY_EN.intentLabel(intent);
  return intent === null || label === null || intent === 'human_agent' ? null : { label, value: `intent:${intent}` };
}

type Hook = (ctx: FlowContext) => Promise<TurnDecision | null>;
type UnhandledHook = (ctx: FlowContext, intent: string | null) => Promise<TurnDecision | null>;

/**
 * The dialogue's knowledge hooks backed by the registered knowledge flow: `{}` when there is none.
 * A message no intent was sure of that describes a device problem ("my thermo is on but no heat
 * is coming out") starts troubleshooting instead: quoting the article would leave the customer
 * with steps and no way on when they don't help.
 */
export function knowledgeHooks(flows: ReadonlyMap<string, Flow>): { answerUnhandled?: UnhandledHook; answerQuestion?: Hook } {
  const flow = flows.get('knowledge');
  if (!(flow instanceof KnowledgeAnswerFlow)) return {};
  const troubleshooting = flows.get('troubleshooting');
  return {
    answerUnhandled: async (ctx, intent) => {
      if (intent === null && troubleshooting !== undefined && (await flow.describesDeviceProblem(ctx))) return troubleshooting.handle(ctx, true);
      return flow.answerUnhandled(ctx);
    },
    answerQuestion: (ctx) => flow.answerGeneralQuestion(ctx),
  };
}
