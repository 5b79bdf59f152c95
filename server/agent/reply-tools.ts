import type { Config } from '../../core/config.js';
import type { Retriever } from '../../knowledge/index.js';
import type { Logger } from '../logger.js';
import type { CannedResponses } from './canned-responses.js';
import { createDraftWriter, type DraftWriter } from './drafts.js';

/** What the Reply box offers the agent: canned responses, article suggestions, drafts (docs/agents.md). */
export interface ReplyTools {
  canned: CannedResponses;
  /** The retriever over the published articles, the one the bot answers FAQs from (current on every call). */
  retriever(): Retriever;
  drafts: DraftWriter;
  shopName: string;
}

/** Sets up drafting beside the canned responses loaded at start-up. */
export function createReplyTools(deps: {
  canned: CannedResponses;
  config: Pick<Config, 'LLM_BASE_URL' | 'LLM_MODEL' | 'LLM_API_KEY' | 'ORDER_NUMBER_PATTERN'>;
  retriever(): Retriever;
  shopName: string;
  log: Logger;
}): ReplyTools {
  return {
    canned: deps.canned,
    retriever: deps.retriever,
    drafts: createDraftWriter(deps.config, {
      shopName: deps.shopName,
      onFailure: (reason) => deps.log.warn({ reason }, 'reply draft: the language model did not answer; drafted from the articles'),
    }),
    shopName: deps.shopName,
  };
}
