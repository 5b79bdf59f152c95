import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import { HumanMessage, SystemMessage } from '@langchain/core/messages';
import { chatModelFrom } from '../../knowledge/generative/chat-model.js';
import type { BotTried, ContextPackage, ContextSummary } from '../../core/agent-context.js';
import type { Config } from '../../core/config.js';
import type { LogMessage, LogUnderstanding } from './context-log.js';

/** What a summary may say: facts from the conversation's log and the verified customer's records. */
export interface SummaryFacts {
  conversationId: string;
  /** The log's last seq: a summary is cached until the conversation moves on. */
  lastSeq: number;
  messages: readonly LogMessage[];
  understanding: readonly LogUnderstanding[];
  handoff: ContextPackage['handoff'];
  tried: BotTried;
  /** The verified customer's name and order statuses; null when nobody was verified. */
  customer: { name: string; orders: ReadonlyArray<{ number: string; status: string }> } | null;
}

/** Short messages of these intents say nothing about the request ("hi", "yes"): skipped when looking for it. */
const NOT_A_REQUEST = new Set(['greeting', 'goodbye', 'thanks', 'affirm', 'deny', 'human_agent']);
/** "talk to a person" is no request; "my speaker arrived broken, get me a person" is one, whatever its intent. */
const SHORT_MESSAGE_WORDS = 5;
const words = (text: string): number => text.trim().split(/\s+/).length;
const QUOTE_CHARS = 160;
const ENTITY_LIMIT = 4;

const human = (name: string): string => name.replaceAll('_', ' ');
const quote = (text: string): string => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUOTE_CHARS ? `${flat.slice(0, QUOTE_CHARS - 1)}…` : flat;
};
const list = (items: readonly string[]): string => (items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`);

/**
 * The deterministic summary: the customer's request, what they named, what the bot tried and
 * why it handed off, in a few sentences taken from the log (nothing is inferred).
 */
export function extractiveSummary(facts: SummaryFacts): string {
  const sentences: string[] = [];
  const byseq = new Map(facts.understanding.map((u) => [u.seq, u]));
  const customerMessages = facts.messages.filter((m) => m.author === 'customer' && m.text.trim() !== '');
  const request = customerMessages.find((m) => !NOT_A_REQUEST.has(byseq.get(m.seq)?.intent ?? '') || words(m.text) > SHORT_MESSAGE_WORDS) ?? customerMessages[0];
  if (request === undefined) sentences.push('The customer has not written yet.');
  else {
    const understood = byseq.get(request.seq);
    const intent = understood?.intent != null ? ` (understood as ${human(understood.intent)}, ${Math.round(understood.confidence * 100)}%)` : '';
    sentences.push(`The customer wrote: “${quote(request.text)}”${intent}.`);
  }
  const entities = [...new Set(facts.understanding.flatMap((u) => u.entities.map((e) => `${human(e.type)} ${e.value}`)))].slice(0, ENTITY_LIMIT);
  if (entities.length > 0) sentences.push(`They mentioned ${list(entities)}.`);
  sentences.push(facts.customer === null ? 'The customer is not verified.' : `Verified as ${facts.customer.name}.`);
  const tried = triedSentence(facts.tried);
  if (tried !== null) sentences.push(tried);
  if (facts.handoff !== null) {
    const detail = facts.handoff.detail !== null ? `: ${quote(facts.handoff.detail)}` : '';
    const team = facts.handoff.team !== null ? `, for the ${facts.handoff.team} team` : '';
    sentences.push(`Handed off (${human(facts.handoff.reason)})${detail}; priority ${facts.handoff.priority}${team}.`);
  }
  return sentences.join(' ');
}

function triedSentence(tried: BotTried): string | null {
  const parts: string[] = [];
  if (tried.flows.length > 0) parts.push(tried.flows.map((f) => `${human(f.flow)} (${human(f.outcome)})`).join(', '));
  if (tried.articles.length > 0) parts.push(`showed ${list(tried.articles.map((a) => `“${a.title}”`))}`);
  if (tried.troubleshooting.length > 0) {
    const fixed = tried.troubleshooting.some((s) => s.outcome === 'fixed');
    parts.push(`walked ${tried.troubleshooting.length} troubleshooting step${tried.troubleshooting.length === 1 ? '' : 's'} (${fixed ? 'one fixed it' : 'none fixed it'})`);
  }
  for (const d of tried.policyDecisions) parts.push(`${d.policy} policy ${d.outcome === 'refused' ? 'refused' : 'allowed'} it (${human(d.reason)})`);
  if (tried.codesSent.length > 0) parts.push(`sent ${tried.codesSent.length} verification code${tried.codesSent.length === 1 ? '' : 's'}`);
  return parts.length === 0 ? null : `The bot tried: ${parts.join('; ')}.`;
}

/** Turns a conversation's facts into its summary. */
export interface ConversationSummarizer {
  summarize(facts: SummaryFacts): Promise<ContextSummary>;
}

const SYSTEM_PROMPT = [
  'You summarise a customer-support conversation for the human agent who takes it over from a bot.',
  'Use only the facts in the JSON you are given; never add, guess or generalise a detail that is not there.',
  'Write at most three short sentences of plain text: what the customer wants, what the bot already tried and its results, and why it was handed off.',
  'Do not greet, do not address the customer, do not use lists or markdown.',
].join(' ');

/** How much of the conversation the model sees: the latest messages, each cut short. */
const PROMPT_MESSAGES = 30;
const PROMPT_MESSAGE_CHARS = 300;
const SUMMARY_MAX_CHARS = 1200;
const CACHE_SIZE = 200;
export const DEFAULT_SUMMARY_TIMEOUT_MS = 8000;

/** The facts as the model sees them: no profile fields beyond the name, no codes (the log never has them). */
function promptOf(facts: SummaryFacts): string {
  return JSON.stringify({
    messages: facts.messages.slice(-PROMPT_MESSAGES).map((m) => ({ from: m.author, text: m.text.slice(0, PROMPT_MESSAGE_CHARS) })),
    understood: facts.understanding.map((u) => ({ intent: u.intent, confidence: Number(u.confidence.toFixed(2)), entities: u.entities })),
    tried: {
      flows: facts.tried.flows.map((f) => ({ flow: f.flow, outcome: f.outcome })),
      articles: facts.tried.articles.map((a) => a.title),
      troubleshooting: facts.tried.troubleshooting,
      policyDecisions: facts.tried.policyDecisions.map((d) => ({ policy: d.policy, outcome: d.outcome, reason: d.reason })),
      verificationCodesSent: facts.tried.codesSent.length,
    },
    handoff: facts.handoff === null ? null : { reason: facts.handoff.reason, detail: facts.handoff.detail, priority: facts.handoff.priority, team: facts.handoff.team },
    verifiedCustomer: facts.customer,
  });
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) return content.map((part: unknown) => (typeof part === 'object' && part !== null && 'text' in part && typeof part.text === 'string' ? part.text : '')).join('');
  return '';
}

/** Extractive summaries only (no LLM configured). */
export const extractiveSummarizer: ConversationSummarizer = {
  summarize: (facts) => Promise.resolve({ text: extractiveSummary(facts), source: 'extractive', fallback: null }),
};

/**
 * Summaries from a chat model grounded in the facts, cached per conversation and seq (the
 * console reloads a conversation on every event). Any failure — unreachable, timed out, an
 * empty answer — gives the extractive summary with `fallback` saying why.
 */
export class LlmConversationSummarizer implements ConversationSummarizer {
  private readonly cache = new Map<string, Promise<ContextSummary>>();

  constructor(
    private readonly model: Pick<BaseChatModel, 'invoke'>,
    private readonly timeoutMs: number = DEFAULT_SUMMARY_TIMEOUT_MS,
  ) {}

  summarize(facts: SummaryFacts): Promise<ContextSummary> {
    // A verification expiring changes the facts without a new event.
    const key = `${facts.conversationId}:${facts.lastSeq}:${facts.customer === null ? '' : facts.customer.name}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    const made = this.fromModel(facts);
    this.cache.set(key, made);
    if (this.cache.size > CACHE_SIZE) this.cache.delete(this.cache.keys().next().value ?? key);
    return made;
  }

  private async fromModel(facts: SummaryFacts): Promise<ContextSummary> {
    const extractive = extractiveSummary(facts);
    try {
      const answer = await this.model.invoke([new SystemMessage(SYSTEM_PROMPT), new HumanMessage(promptOf(facts))], { signal: AbortSignal.timeout(this.timeoutMs) });
      const text = textOf(answer.content).trim();
      if (text === '') return { text: extractive, source: 'extractive', fallback: 'The LLM returned an empty summary; showing the extractive one.' };
      return { text: text.length > SUMMARY_MAX_CHARS ? `${text.slice(0, SUMMARY_MAX_CHARS - 1)}…` : text, source: 'llm', fallback: null };
    } catch (error) {
      const timedOut = error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      return { text: extractive, source: 'extractive', fallback: `The LLM summary ${timedOut ? 'timed out' : 'failed'}; showing the extractive one.` };
    }
  }
}

/** An LLM summarizer when LLM_BASE_URL and LLM_MODEL are set (any OpenAI-compatible endpoint), the extractive one otherwise. */
export function createConversationSummarizer(
  config: Pick<Config, 'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY'>,
  timeoutMs: number = DEFAULT_SUMMARY_TIMEOUT_MS,
): ConversationSummarizer {
  // One attempt: a failure falls back to the extractive summary rather than keeping the agent waiting.
  const model = chatModelFrom(config, { timeoutMs });
  if (model === null) return extractiveSummarizer;
  return new LlmConversationSummarizer(model, timeoutMs);
}
