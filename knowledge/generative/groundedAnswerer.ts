import type { BaseChatModel } from '@langchain/core/language_models/chat_models';
import type { AIMessageChunk } from '@langchain/core/messages';
import type { GenerativeAnswerer } from '../../core/grounding.js';
import { checkModelAnswer, type GroundedAnswer } from './answerCheck.js';
import { CircuitBreaker } from './circuitBreaker.js';
import { scrubCustomerData } from './customerDataScrub.js';
import { buildGroundingMessages, type GroundingPassage } from './groundingPrompt.js';

/** Below every channel's webhook budget (Twilio and Bot Framework give 15 s). */
export const DEFAULT_ANSWER_TIMEOUT_MS = 8_000;

export interface GroundedAnswererOptions {
  model: BaseChatModel;
  /** Public base URL: the only host an answer may link to. */
  publicUrl: () => string;
  shopName: string;
  /** The shop's order-number pattern, scrubbed from questions. */
  orderNumberPattern?: string;
  timeoutMs?: number;
  breaker?: CircuitBreaker;
  /** Told about model failures (never given the question or the answer). */
  onFailure?: (reason: 'error' | 'timeout' | 'circuit-open') => void;
}

function textOf(reply: AIMessageChunk): string {
  if (typeof reply.content === 'string') return reply.content;
  return reply.content.map((part) => ('text' in part && typeof part.text === 'string' ? part.text : '')).join('');
}

/**
 * Generative answers through a langchain chat model, grounded only in the passages given. Any
 * failure — model error, timeout, open circuit, an answer that fails the checks — is null, and
 * the flow quotes the passage instead: the customer always gets an answer in time.
 */
export class GroundedAnswerer implements GenerativeAnswerer {
  private readonly breaker: CircuitBreaker;

  constructor(private readonly options: GroundedAnswererOptions) {
    this.breaker = options.breaker ?? new CircuitBreaker({ failureThreshold: 3, cooldownMs: 30_000 });
  }

  async answer(question: string, passages: GroundingPassage[]): Promise<GroundedAnswer | null> {
    if (passages.length === 0 || question.trim() === '') return null;
    if (!this.breaker.tryAcquire()) {
      this.options.onFailure?.('circuit-open');
      return null;
    }
    const messages = buildGroundingMessages(scrubCustomerData(question, this.options.orderNumberPattern), passages, this.options.shopName);
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), this.options.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS);
    });
    try {
      const reply = await Promise.race([this.options.model.invoke(messages, { signal: controller.signal }), timeout]);
      if (reply === 'timeout') {
        controller.abort();
        this.breaker.failure();
        this.options.onFailure?.('timeout');
        return null;
      }
      this.breaker.success();
      return checkModelAnswer(textOf(reply), passages, this.options.publicUrl());
    } catch {
      this.breaker.failure();
      this.options.onFailure?.('error');
      return null;
    } finally {
      clearTimeout(timer);
    }
  }
}
