import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../../core/config.js';
import { DEFAULT_ANSWER_TIMEOUT_MS, GroundedAnswerer, type GroundedAnswererOptions } from './groundedAnswerer.js';

/**
 * Generative answers when LLM_BASE_URL and LLM_MODEL are set (any OpenAI-compatible endpoint:
 * OpenAI, Ollama, vLLM, llama.cpp); null — off — otherwise.
 */
export function createGenerativeAnswerer(
  config: Pick<Config, 'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY' | 'ORDER_NUMBER_PATTERN'>,
  options: Pick<GroundedAnswererOptions, 'publicUrl' | 'shopName' | 'onFailure' | 'timeoutMs'>,
): GroundedAnswerer | null {
  if (config.LLM_BASE_URL === undefined || config.LLM_MODEL === undefined) return null;
  const timeoutMs = options.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  const model = new ChatOpenAI({
    model: config.LLM_MODEL,
    apiKey: config.LLM_API_KEY ?? 'not-needed',
    temperature: 0,
    // Retries would overrun the answer budget; the circuit breaker handles a failing endpoint.
    maxRetries: 0,
    timeout: timeoutMs,
    configuration: { baseURL: config.LLM_BASE_URL },
  });
  return new GroundedAnswerer({ ...options, model, timeoutMs, orderNumberPattern: config.ORDER_NUMBER_PATTERN });
}
