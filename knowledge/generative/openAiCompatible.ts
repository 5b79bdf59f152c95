import type { Config } from '../../core/config.js';
import { chatModelFrom } from './chat-model.js';
import { DEFAULT_ANSWER_TIMEOUT_MS, GroundedAnswerer, type GroundedAnswererOptions } from './groundedAnswerer.js';

/**
 * Generative answers when LLM_BASE_URL and LLM_MODEL are set (any OpenAI-compatible endpoint:
 * OpenAI, Ollama, vLLM, llama.cpp); null — off — otherwise.
 */
export function createGenerativeAnswerer(
  config: Pick<Config, 'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY' | 'ORDER_NUMBER_PATTERN'>,
  options: Pick<GroundedAnswererOptions, 'publicUrl' | 'shopName' | 'onFailure' | 'timeoutMs'>,
): GroundedAnswerer | null {
  const timeoutMs = options.timeoutMs ?? DEFAULT_ANSWER_TIMEOUT_MS;
  // No retries: they would overrun the answer budget; the circuit breaker handles a failing endpoint.
  const model = chatModelFrom(config, { timeoutMs });
  if (model === null) return null;
  return new GroundedAnswerer({ ...options, model, timeoutMs, orderNumberPattern: config.ORDER_NUMBER_PATTERN });
}
