import { ChatOpenAI } from '@langchain/openai';
import type { Config } from '../../core/config.js';

/**
 * The chat model at LLM_BASE_URL (any OpenAI-compatible endpoint: OpenAI, Ollama, vLLM,
 * llama.cpp), or null when LLM_BASE_URL and LLM_MODEL are not both set. One attempt per call:
 * every caller has a fallback (the article, the extractive summary) and a person or customer
 * waiting, so a retry would only make them wait longer.
 */
export function chatModelFrom(
  config: Pick<Config, 'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY'>,
  options: { timeoutMs: number; temperature?: number },
): ChatOpenAI | null {
  if (config.LLM_BASE_URL === undefined || config.LLM_MODEL === undefined) return null;
  return new ChatOpenAI({
    model: config.LLM_MODEL,
    apiKey: config.LLM_API_KEY ?? 'not-needed',
    temperature: options.temperature ?? 0,
    maxRetries: 0,
    timeout: options.timeoutMs,
    configuration: { baseURL: config.LLM_BASE_URL },
  });
}
